/** Which cloud a planned resource belongs to, for summaries, costs and the diagram. */

const cloudOfPackage: Record<string, string> = { aws: "aws", gcp: "gcp", alicloud: "alicloud", kubernetes: "onprem" };

/**
 * The cloud a resource runs on: that of the nearest `multicloud:<cloud>:` component
 * in its URN's parent chain (Kubernetes objects on GKE belong to GCP), else its
 * package's; "pulumi" for the engine's own types.
 */
export function cloudOf(type: string, urn?: string): string {
    const chain = urn?.split("::")[2]?.split("$") ?? [];
    for (let i = chain.length - 2; i >= 0; i--) {
        const component = /^multicloud:([a-z]+):/.exec(chain[i]);
        if (component) return cloudOfPackage[component[1]] ?? component[1];
    }
    const pkg = type.startsWith("pulumi:providers:") ? type.split(":")[2] : type.split(":")[0];
    return cloudOfPackage[pkg] ?? (pkg === "pulumi" ? "pulumi" : pkg);
}
