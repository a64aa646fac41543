/**
 * Routes' filters as the stack hands them to the digest and test functions (`ROUTES`, compact JSON): names and
 * filters only, never an address or a secret. Read once per cold start; a wrong value names the variable.
 */
import { z } from 'zod';
import { ConfigError } from '../core/config.ts';
import type { RouteFilter } from '../core/routes.ts';

export const ROUTES_VARIABLE = 'ROUTES';

const filterValues = z.array(z.string().min(1)).min(1).optional();

const routeFilter = z
  .object({
    name: z.string().min(1),
    containers: filterValues,
    organizations: filterValues,
    products: filterValues,
    severities: z
      .array(z.enum(['info', 'warning', 'critical']))
      .min(1)
      .optional(),
  })
  .strict();

/** The filters as the environment carries them: absent filters left out, to stay small. */
export function formatRouteFilters(routes: readonly RouteFilter[]): string {
  return JSON.stringify(
    routes.map(({ name, containers, organizations, products, severities }) => ({
      name,
      ...(containers ? { containers } : {}),
      ...(organizations ? { organizations } : {}),
      ...(products ? { products } : {}),
      ...(severities ? { severities } : {}),
    })),
  );
}

/** `ROUTES` as written by `formatRouteFilters`; `[]` when the stack has no route. */
export function parseRouteFilters(text: string, source = ROUTES_VARIABLE): RouteFilter[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError(source, text, 'is not JSON');
  }
  const parsed = z.array(routeFilter).safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(
      source,
      text,
      `has ${issue?.path.join('.') || 'a value'} ${issue?.message ?? 'not valid'}`,
    );
  }
  return parsed.data.map((route) => ({
    name: route.name,
    containers: route.containers ?? null,
    organizations: route.organizations ?? null,
    products: route.products ?? null,
    severities: route.severities ?? null,
  }));
}
