/**
 * `npm run docs`: regenerates the README's generated sections between their
 * markers. Tests fail when a committed README differs from what this writes.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { renderConfigTable } from "./config-table";
import { defaultPlacement, defaultPlacementReasons } from "../../policies/stack/placement";

const readme = path.resolve(__dirname, "../../README.md");

export function replaceSection(text: string, marker: string, body: string): string {
    const start = `<!-- ${marker}:start -->`;
    const end = `<!-- ${marker}:end -->`;
    const i = text.indexOf(start);
    const j = text.indexOf(end);
    if (i < 0 || j < i) throw new Error(`README.md has no ${start} ... ${end} section.`);
    return `${text.slice(0, i + start.length)}\n${body}\n${text.slice(j)}`;
}

/** The placement rules, from the data the pack's workload-placement policy enforces by default. */
export function renderPlacementTable(): string {
    const rows = Object.entries(defaultPlacement).map(([workload, [home, ...others]]) => {
        const why = defaultPlacementReasons[workload] ?? "";
        return `| ${workload} | ${home} | ${others.length ? others.join(", ") : "none"} | ${why} |`;
    });
    return ["| workload | home cloud | may also run on (active-active) | why it is held there |", "| --- | --- | --- | --- |", ...rows].join("\n");
}

export function generatedReadme(text: string): string {
    return replaceSection(replaceSection(text, "config", renderConfigTable()), "placement", renderPlacementTable());
}

if (require.main === module) {
    fs.writeFileSync(readme, generatedReadme(fs.readFileSync(readme, "utf8")));
    process.stdout.write("README.md: generated sections updated\n");
}
