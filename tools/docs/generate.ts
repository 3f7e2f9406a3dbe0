/**
 * `npm run docs`: regenerates the README's generated sections between their
 * markers. Tests fail when a committed README differs from what this writes.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { renderConfigTable } from "./config-table";

const readme = path.resolve(__dirname, "../../README.md");

export function replaceSection(text: string, marker: string, body: string): string {
    const start = `<!-- ${marker}:start -->`;
    const end = `<!-- ${marker}:end -->`;
    const i = text.indexOf(start);
    const j = text.indexOf(end);
    if (i < 0 || j < i) throw new Error(`README.md has no ${start} ... ${end} section.`);
    return `${text.slice(0, i + start.length)}\n${body}\n${text.slice(j)}`;
}

export function generatedReadme(text: string): string {
    return replaceSection(text, "config", renderConfigTable());
}

if (require.main === module) {
    fs.writeFileSync(readme, generatedReadme(fs.readFileSync(readme, "utf8")));
    process.stdout.write("README.md: generated sections updated\n");
}
