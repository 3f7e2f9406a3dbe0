/**
 * `npm run docs`: regenerates the generated sections of the reference pages
 * between their markers: the configuration table in docs/configuration.md, the
 * placement and size tables in docs/placement.md. Tests fail when a committed
 * page differs from what this writes.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { renderConfigTable } from "./config-table";
import { defaultPlacement, defaultPlacementReasons, placementsOf } from "../../policies/stack/placement";
import { sizeShapes, sizes } from "../../components/core/sizes";
import { regionClouds } from "../../components/clouds";

const docs = path.resolve(__dirname, "../../docs");
/** Each generated page and the sections it holds. */
export const generatedPages: Record<string, (text: string) => string> = {
    [path.join(docs, "configuration.md")]: (text) => replaceSection(text, "config", renderConfigTable()),
    [path.join(docs, "placement.md")]: (text) => replaceSection(replaceSection(text, "placement", renderPlacementTable()), "sizes", renderSizeTable()),
};

export function replaceSection(text: string, marker: string, body: string): string {
    const start = `<!-- ${marker}:start -->`;
    const end = `<!-- ${marker}:end -->`;
    const i = text.indexOf(start);
    const j = text.indexOf(end);
    if (i < 0 || j < i) throw new Error(`The page has no ${start} ... ${end} section.`);
    return `${text.slice(0, i + start.length)}\n${body}\n${text.slice(j)}`;
}

/** The placement rules, from the data the pack's workload-placement policy enforces by default. */
export function renderPlacementTable(): string {
    const rows = Object.entries(defaultPlacement).map(([workload, [home]]) => {
        const why = defaultPlacementReasons[workload] ?? "";
        const placements = placementsOf(workload).map((clouds) => `\`${JSON.stringify(clouds)}\``);
        return `| ${workload} | ${home} | ${placements.join("<br>")} | ${why} |`;
    });
    return [
        "| workload | home cloud | placements (`multicloud:clouds`), each planned in dev and prod by `test/placements.test.ts` | why it is held to these clouds |",
        "| --- | --- | --- | --- |",
        ...rows,
    ].join("\n");
}

/** Each neutral size and the type every public cloud's kit maps it to. */
export function renderSizeTable(): string {
    const rows = sizes.map(
        (size) =>
            `| \`${size}\` | ${sizeShapes[size].vcpu} | ${sizeShapes[size].memoryMiB / 1024} GiB | ${regionClouds.map((c) => c.sizes[size]).join(" | ")} |`,
    );
    const header = `| size | vCPU | memory | ${regionClouds.map((c) => c.title).join(" | ")} |`;
    return [header, `| --- | --- | --- | ${regionClouds.map(() => "---").join(" | ")} |`, ...rows].join("\n");
}

if (require.main === module) {
    for (const [file, generate] of Object.entries(generatedPages)) {
        fs.writeFileSync(file, generate(fs.readFileSync(file, "utf8")));
        process.stdout.write(`${path.relative(process.cwd(), file)}: generated sections updated\n`);
    }
}
