import { createHash } from "node:crypto";

/**
 * A service account id from a component name. GCP allows 6 to 30 characters,
 * [a-z][a-z0-9-]*[a-z0-9]; long names keep their start and a hash of the whole,
 * so ids stay stable and distinct.
 */
export function serviceAccountId(name: string): string {
    let id = name.toLowerCase().replace(/[^a-z0-9-]/g, "-");
    if (!/^[a-z]/.test(id)) id = `sa-${id}`;
    if (id.length > 30) id = `${id.slice(0, 21)}-${createHash("sha256").update(name).digest("hex").slice(0, 8)}`;
    id = id.replace(/-+$/, "");
    return id.length >= 6 ? id : `${id}-sa-id`.slice(0, 30);
}
