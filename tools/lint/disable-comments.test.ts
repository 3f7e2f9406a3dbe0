import { directiveProblems } from "./disable-comments";

const problemsOf = (text: string) => directiveProblems("example.ts", text);

describe("lint disable comments", () => {
    test("an oxlint directive that names its rule and says why passes, on a line, the next line or a whole file", () => {
        const text = [
            "/* oxlint-disable typescript/no-require-imports -- each kit is loaded only when a stack places a workload on its cloud */",
            "// oxlint-disable-next-line no-console -- the command's output",
            'console.log("x"); // oxlint-disable-line no-console -- the command\'s output',
            "// oxlint-enable typescript/no-require-imports",
        ].join("\n");
        expect(problemsOf(text)).toEqual([]);
    });

    test("an ESLint directive names a linter the project does not run", () => {
        expect(problemsOf("// eslint-disable-next-line typescript/no-require-imports -- lazy load\nrequire('x');\n")).toEqual([
            { line: 1, message: "eslint-disable-next-line names ESLint, which this project does not run: write oxlint-disable-next-line" },
        ]);
    });

    test("a directive must name the rule and give its reason", () => {
        const text = ["const a = 1;", "/* oxlint-disable */", "// oxlint-disable-next-line typescript/no-explicit-any", "let b: any;"].join("\n");
        expect(problemsOf(text)).toEqual([
            { line: 2, message: "oxlint-disable turns off every rule: name the rule" },
            { line: 2, message: "oxlint-disable does not say why: add ` -- ` and the reason" },
            { line: 3, message: "oxlint-disable-next-line does not say why: add ` -- ` and the reason" },
        ]);
    });

    test("a reason with no rule still turns off every rule", () => {
        expect(problemsOf("// oxlint-disable-next-line -- generated\nlet b: any;\n")).toEqual([
            { line: 1, message: "oxlint-disable-next-line turns off every rule: name the rule" },
        ]);
    });

    test("only comments count: the same words in a string or a template are data", () => {
        const text = ['const hint = "// eslint-disable-next-line";', "const doc = `/* oxlint-disable */`;", "const pattern = /eslint-disable/;"].join("\n");
        expect(problemsOf(text)).toEqual([]);
    });

    test("a comment that mentions a directive in prose is not one", () => {
        expect(problemsOf("// Prefer oxlint-disable-next-line over a file-wide oxlint-disable.\nconst a = 1;\n")).toEqual([]);
    });
});
