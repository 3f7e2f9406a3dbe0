/**
 * Where each resource type carries cost-allocation tags: the catalog the policy
 * pack judges with, generated from the provider SDKs (`npm run
 * generate:catalog`), so the transform tags exactly what the policy checks.
 */
export { tagPlacement, readTags, fieldName, type TagPlacement } from "../policies/catalog/tags";
export type { Provider as TagDialect } from "../policies/catalog/catalog";
