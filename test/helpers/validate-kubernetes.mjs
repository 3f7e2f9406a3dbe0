// Validates Kubernetes objects against the Kubernetes schemas (kubernetes-models, an
// ES module, hence a process of its own). Reads [{ urn, object }] as JSON on stdin;
// writes { invalid: [{ urn, errors }], withoutSchema: ["group/version Kind"] } (custom
// resources, whose schemas are their CRDs'). A value not known at preview
// ("[unknown]"), or a secret the plan masks ("[secret]"), is set aside: an error about it, or inside it, does not count.
import { readFileSync } from "node:fs";

const items = JSON.parse(readFileSync(0, "utf8"));
const unknownPaths = (value, at = "") =>
    value === "[unknown]" || value === "[secret]"
        ? [at]
        : value && typeof value === "object"
          ? Object.entries(value).flatMap(([k, v]) => unknownPaths(v, `${at}/${k}`))
          : [];
const results = [];
/** @type {Set<string>} */
const withoutSchema = new Set();
for (const { urn, object } of items) {
    const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : [undefined, object.apiVersion];
    const models = await import(group ? `kubernetes-models/${group}/${version}` : `kubernetes-models/${version}`).catch(() => ({}));
    const Model = models[object.kind];
    if (!Model) {
        withoutSchema.add(`${object.apiVersion} ${object.kind}`);
        continue;
    }
    const unknown = unknownPaths(object);
    try {
        new Model(object).validate();
    } catch (e) {
        const errors = (e.errors ?? [{ instancePath: "", message: e.message }]).filter(
            (err) =>
                !unknown.some(
                    (p) =>
                        err.instancePath === p ||
                        err.instancePath.startsWith(`${p}/`) ||
                        p.startsWith(`${err.instancePath}/${err.params?.missingProperty ?? "\u0000"}`),
                ),
        );
        if (errors.length) results.push({ urn, errors: errors.map((err) => `${err.instancePath || "/"} ${err.message}`) });
    }
}
process.stdout.write(JSON.stringify({ invalid: results, withoutSchema: [...withoutSchema].sort() }));
