/**
 * Service teams edit stack files; no edit within the schema may break a test.
 * This makes several such edits to several stack files in a copy of the
 * project (every upper bound of an autoscaled count raised by one, from
 * whatever the file holds) and runs, in that copy, the tests that read the
 * live stack files. The workflow test makes its own changes relative to the
 * files in the same way (test/workflows.test.ts).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { copyProject } from "./helpers/project-copy";
import { isMap, isScalar, isSeq, parseDocument, type Document } from "yaml";

const root = path.resolve(__dirname, "..");

/** The test files that read the stack files of the project itself. */
const readers = [
    "test/stacks.test.ts",
    "test/address-plan.test.ts",
    "test/affected-stacks.test.ts",
    "stacks/workloads/fixtures.test.ts",
    "stacks/workloads/transactional.test.ts",
];

const upperBound = /^max(Size|Count|Nodes|Replicas)$/;

/** Raises every upper bound of a count under the stack's own keys by one; returns the paths it changed. */
function raiseUpperBounds(doc: Document): string[] {
    const changed: string[] = [];
    const visit = (node: unknown, at: string[]) => {
        if (isSeq(node)) node.items.forEach((item, i) => visit(item, [...at, String(i)]));
        if (!isMap(node)) return;
        for (const pair of node.items) {
            const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
            if (isScalar(pair.value) && typeof pair.value.value === "number" && upperBound.test(key)) {
                pair.value.value = pair.value.value + 1;
                changed.push([...at, key].join("."));
            } else visit(pair.value, [...at, key]);
        }
    };
    visit(doc.get("config", true), []);
    return changed;
}

test("raising the upper bounds finds the nested counts and leaves everything else as it was", () => {
    const doc = parseDocument(
        "config:\n  multicloud:servers:\n    minSize: 2\n    maxSize: 4 # most\n  multicloud:services:\n    - name: a\n      maxCount: 3\n",
    );
    expect(raiseUpperBounds(doc)).toEqual(["multicloud:servers.maxSize", "multicloud:services.0.maxCount"]);
    expect(doc.toString()).toBe(
        "config:\n  multicloud:servers:\n    minSize: 2\n    maxSize: 5 # most\n  multicloud:services:\n    - name: a\n      maxCount: 4\n",
    );
});

test("several edits within the schema, to several stack files, break none of the tests that read them", () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), "stack-edits-"));
    try {
        copyProject(copy);
        fs.symlinkSync(path.join(root, "node_modules"), path.join(copy, "node_modules"));
        // The edits touch stack files only: the copy runs the project's own policy pack, whose checked and
        // compiled copy the project's run has built already (a pack in another directory is checked anew).
        fs.rmSync(path.join(copy, "policies"), { recursive: true });
        fs.symlinkSync(path.join(root, "policies"), path.join(copy, "policies"), "dir");
        const edited: Record<string, string[]> = {};
        for (const stack of ["backend-dev", "transactional-prod", "analytics-dev", "partner-prod"]) {
            const file = path.join(copy, `stacks/Pulumi.${stack}.yaml`);
            const doc = parseDocument(fs.readFileSync(file, "utf8"));
            edited[stack] = raiseUpperBounds(doc);
            fs.writeFileSync(file, doc.toString());
        }
        // Every one of the four files has at least one count to raise, or this test would prove nothing.
        expect(Object.entries(edited).filter(([, paths]) => paths.length === 0)).toEqual([]);
        // One worker: the run beside this one already has the machine's other core.
        const run = spawnSync(process.execPath, [path.join(copy, "node_modules/jest/bin/jest.js"), "--ci", "--maxWorkers=1", ...readers], {
            cwd: copy,
            env: { ...process.env, MULTICLOUD_NESTED_TEST: "", FORCE_COLOR: "0" },
            encoding: "utf8",
            maxBuffer: 64 * 1024 * 1024,
        });
        const summary = run.stderr.split("\n").filter((l) => /^(Tests|Test Suites):/.test(l));
        expect({ edited, exit: run.status, summary, failures: run.status === 0 ? "" : run.stderr.slice(-6000) }).toEqual({
            edited,
            exit: 0,
            summary,
            failures: "",
        });
    } finally {
        fs.rmSync(copy, { recursive: true, force: true });
    }
}, 600_000);
