/**
 * Derives from the installed @pulumi/aws which resource types the provider names
 * when the program gives no name: those whose Args declare both an optional `name`
 * and an optional `namePrefix` ("If omitted, the provider will assign a random,
 * unique name"). Writes auto-named.json; a test fails when it is stale.
 *
 *   node --import tsx packages/plan/src/runtime/derive-auto-named.ts
 */
import * as fs from "node:fs";
import * as path from "node:path";

export const autoNamedFile = path.join(__dirname, "auto-named.json");

export function deriveAutoNamed(): { sdk: string; types: string[] } {
    const root = path.dirname(require.resolve("@pulumi/aws/package.json"));
    const version: string = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).version;
    const types: string[] = [];
    for (const dir of fs.readdirSync(root, { withFileTypes: true })) {
        if (!dir.isDirectory() || dir.name === "node_modules" || dir.name === "types") continue;
        for (const file of fs.readdirSync(path.join(root, dir.name))) {
            if (!file.endsWith(".d.ts")) continue;
            const declarations = fs.readFileSync(path.join(root, dir.name, file), "utf8");
            const args = /export interface \w+Args \{([\s\S]*?)\n\}/.exec(declarations)?.[1];
            if (!args || !/^\s+name\?:/m.test(args) || !/^\s+namePrefix\?:/m.test(args)) continue;
            const js = path.join(root, dir.name, file.replace(/\.d\.ts$/, ".js"));
            const token = fs.existsSync(js) ? /__pulumiType = '([^']+)'/.exec(fs.readFileSync(js, "utf8"))?.[1] : undefined;
            if (token) types.push(token);
        }
    }
    return { sdk: `@pulumi/aws@${version}`, types: types.sort() };
}

if (require.main === module) {
    fs.writeFileSync(autoNamedFile, JSON.stringify(deriveAutoNamed(), null, 2) + "\n");
}
