import * as fs from "node:fs";
import * as path from "node:path";
import { generatedPages } from "../../tools/docs/generate";

test.each(Object.keys(generatedPages).map((file) => [path.relative(path.resolve(__dirname, "../.."), file), file]))(
    "%s: the generated sections match the code (run `npm run docs` after changing a schema)",
    (_name, file) => {
        const text = fs.readFileSync(file, "utf8");
        expect(generatedPages[file](text)).toBe(text);
    },
);

test("the README is a front page: at most 200 lines, linking every reference page", () => {
    const root = path.resolve(__dirname, "../..");
    const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
    expect(readme.trimEnd().split("\n").length).toBeLessThanOrEqual(200);
    for (const page of ["configuration", "placement", "plan", "policies", "operations", "deploy", "private-cloud", "cost", "network", "rollback-safety"]) {
        expect(readme).toContain(`(docs/${page}.md)`);
        expect(fs.existsSync(path.join(root, "docs", `${page}.md`))).toBe(true);
    }
});

test("every relative link of the docs and the README names a file that exists", () => {
    const root = path.resolve(__dirname, "../..");
    const pages = [
        "README.md",
        ...fs
            .readdirSync(path.join(root, "docs"))
            .filter((f) => f.endsWith(".md"))
            .map((f) => `docs/${f}`),
    ];
    const broken = pages.flatMap((page) =>
        [...fs.readFileSync(path.join(root, page), "utf8").matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)]
            .map((m) => m[1])
            .filter((target) => !/^[a-z]+:/.test(target))
            .filter((target) => !fs.existsSync(path.resolve(path.dirname(path.join(root, page)), target)))
            .map((target) => `${page} -> ${target}`),
    );
    expect(broken).toEqual([]);
});
