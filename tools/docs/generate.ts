/**
 * `npm run docs`: regenerates the README's generated sections between their
 * markers. Tests fail when a committed README differs from what this writes.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { renderConfigTable } from "./config-table";
import { defaultPlacement, defaultPlacementReasons, placementsOf } from "../../policies/stack/placement";
import { sizeShapes, sizes } from "../../components/core/sizes";
import { sizeTypes as awsSizeTypes } from "../../components/aws/instance-types";
import { sizeTypes as gcpSizeTypes } from "../../components/gcp/machine-types";
import { sizeTypes as alicloudSizeTypes } from "../../components/alicloud/kit";

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
            `| \`${size}\` | ${sizeShapes[size].vcpu} | ${sizeShapes[size].memoryMiB / 1024} GiB | ${awsSizeTypes[size]} | ${gcpSizeTypes[size]} | ${alicloudSizeTypes[size]} |`,
    );
    return ["| size | vCPU | memory | AWS | GCP | Alibaba Cloud |", "| --- | --- | --- | --- | --- | --- |", ...rows].join("\n");
}

export function generatedReadme(text: string): string {
    return replaceSection(replaceSection(replaceSection(text, "config", renderConfigTable()), "placement", renderPlacementTable()), "sizes", renderSizeTable());
}

if (require.main === module) {
    fs.writeFileSync(readme, generatedReadme(fs.readFileSync(readme, "utf8")));
    process.stdout.write("README.md: generated sections updated\n");
}
