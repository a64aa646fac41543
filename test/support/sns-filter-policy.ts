/**
 * A small evaluator of SNS subscription filter policies on message attributes, as AWS documents them: every key
 * of the policy (of one `$or` branch) must name an attribute with a matching value; a list matches when any of its
 * conditions does; a `String.Array` attribute matches when any of its items does. Enough of the language for the
 * policies this app writes (exact strings, `$or`, `anything-but`, `exists`, `prefix`), so that a stack test can
 * check a synthesized policy against what the real publisher sends.
 */
import type { MessageAttributeValue } from '@aws-sdk/client-sns';

export type Attributes = Record<string, MessageAttributeValue>;
type Condition = string | number | { 'anything-but'?: unknown; exists?: boolean; prefix?: string };

function values(attribute: MessageAttributeValue): string[] {
  const text = attribute.StringValue ?? '';
  if (attribute.DataType === 'String.Array') return (JSON.parse(text) as unknown[]).map(String);
  return [text];
}

function conditionMatches(condition: Condition, attribute: MessageAttributeValue | undefined): boolean {
  if (typeof condition === 'object' && condition !== null && 'exists' in condition) {
    return (attribute !== undefined) === condition.exists;
  }
  if (attribute === undefined) return false;
  const given = values(attribute);
  if (typeof condition === 'string' || typeof condition === 'number') {
    return given.includes(String(condition));
  }
  if (condition['anything-but'] !== undefined) {
    const excluded = [condition['anything-but']].flat().map(String);
    return given.some((value) => !excluded.includes(value));
  }
  if (condition.prefix !== undefined) {
    const { prefix } = condition;
    return given.some((value) => value.startsWith(prefix));
  }
  throw new Error(`the evaluator does not know the condition ${JSON.stringify(condition)}`);
}

function branchMatches(policy: Record<string, unknown>, attributes: Attributes): boolean {
  return Object.entries(policy).every(([key, rule]) => {
    if (key === '$or' && Array.isArray(rule) && rule.length >= 2) {
      return rule.some((branch) => branchMatches(branch as Record<string, unknown>, attributes));
    }
    if (!Array.isArray(rule)) throw new Error(`policy key ${key}: ${JSON.stringify(rule)} is not a list`);
    return (rule as Condition[]).some((condition) => conditionMatches(condition, attributes[key]));
  });
}

/** Would SNS deliver a message with these attributes to a subscription with this filter policy? */
export function filterPolicyAccepts(policy: unknown, attributes: Attributes | undefined): boolean {
  if (policy === undefined) return true;
  return branchMatches(policy as Record<string, unknown>, attributes ?? {});
}
