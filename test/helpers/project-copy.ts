/**
 * A copy of the project as it is on disk: the files git tracks and the new ones
 * it does not ignore, with their modes; links and missing files left out.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export const projectRoot = path.resolve(__dirname, "../..");

export function copyProject(dest: string, root = projectRoot): void {
    const listed = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], { cwd: root, encoding: "utf8" }).split("\0").filter(Boolean);
    for (const file of listed) {
        const from = path.join(root, file);
        if (!fs.existsSync(from) || fs.lstatSync(from).isSymbolicLink() || !fs.statSync(from).isFile()) continue;
        fs.mkdirSync(path.dirname(path.join(dest, file)), { recursive: true });
        fs.copyFileSync(from, path.join(dest, file));
        fs.chmodSync(path.join(dest, file), fs.statSync(from).mode);
    }
}
