/** Errors of the review commands that the person can fix: the CLI maps them to exit 2 (`cli.ts`). */

/** `unmute` of something that has no active mute. */
export class NoActiveMuteError extends Error {
  override readonly name = 'NoActiveMuteError';
}

/** `--table NAME --region R` names a table that is not there. */
export class StateTableNotFoundError extends Error {
  override readonly name = 'StateTableNotFoundError';
  constructor(table: string, region: string) {
    super(
      `DynamoDB table ${JSON.stringify(table)} does not exist in ${region}: use the stack's StateTableName output and its region`,
    );
  }
}
