/**
 * The pack's table of clouds (policies/catalog/cloud-table.json), written from the
 * clouds' descriptors (components/<cloud>/cloud.ts): `pulumi policy publish`
 * uploads policies/ alone, so the pack reads a copy, and this keeps the copy
 * the descriptors' own.
 *
 *   npm run generate:clouds              rewrite the file
 *   npm run generate:clouds -- --check   exit 1 when the committed file is stale
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { cloudDescriptors } from "../../components/clouds";
import { formatted, repositoryRoot } from "./formatted";

export const cloudsFile = path.join(repositoryRoot, "policies/catalog/cloud-table.json");

/** What the policies need of each cloud; patterns as RegExp sources. */
export function cloudTableOfDescriptors() {
    return {
        clouds: cloudDescriptors.map((d) => ({
            id: d.id,
            title: d.title,
            providerPackage: d.providerPackage,
            inCluster: d.inCluster,
            ...("region" in d ? { allowedRegions: [...d.region.allowedByDefault] } : {}),
            managedClusterTypes: [...d.managedClusterTypes],
            ...("kubeconfigHint" in d ? { kubeconfigHint: d.kubeconfigHint.source } : {}),
        })),
    };
}

export const serializeClouds = () => formatted(cloudsFile, JSON.stringify(cloudTableOfDescriptors(), null, 2));

async function main(argv: string[]): Promise<number> {
    const text = await serializeClouds();
    const file = path.relative(process.cwd(), cloudsFile);
    if (argv.includes("--check")) {
        if (fs.existsSync(cloudsFile) && fs.readFileSync(cloudsFile, "utf8") === text) return 0;
        process.stderr.write(`${file} is stale against components/<cloud>/cloud.ts: run \`npm run generate:clouds\` and commit it.\n`);
        return 1;
    }
    fs.writeFileSync(cloudsFile, text);
    process.stdout.write(`${file}: ${cloudDescriptors.map((d) => d.id).join(", ")}\n`);
    return 0;
}

if (require.main === module) void main(process.argv.slice(2)).then((code) => (process.exitCode = code));
