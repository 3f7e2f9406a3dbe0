/**
 * `npm run lint` runs this after oxlint: a comment that turns a lint rule off
 * must be oxlint's (the linter this project runs), name each rule it turns
 * off, and say why after ` -- `, as in
 *
 *   // oxlint-disable-next-line typescript/no-require-imports -- loaded only when placed on AWS
 *
 * oxlint itself accepts a directive without a rule or a reason.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";

export interface DirectiveProblem {
    line: number;
    message: string;
}

const directive = /^(?:\/\/|\/\*)\s*(eslint|oxlint)-disable(-next-line|-line)?(?=\s|\*\/|$)(.*?)(?:\*\/)?$/s;

/** Every comment of a source file, once each, in order. */
function comments(file: string, text: string): ts.CommentRange[] {
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
    const found = new Map<number, ts.CommentRange>();
    const collect = (ranges: ts.CommentRange[] | undefined) => ranges?.forEach((r) => found.set(r.pos, r));
    const visit = (node: ts.Node) => {
        collect(ts.getLeadingCommentRanges(text, node.pos));
        collect(ts.getTrailingCommentRanges(text, node.end));
        node.forEachChild(visit);
    };
    visit(source);
    collect(ts.getLeadingCommentRanges(text, source.endOfFileToken.pos));
    return [...found.values()].sort((a, b) => a.pos - b.pos);
}

/** The disable directives of one file that do not say which rule they turn off and why. */
export function directiveProblems(file: string, text: string): DirectiveProblem[] {
    const problems: DirectiveProblem[] = [];
    for (const range of comments(file, text)) {
        const match = directive.exec(text.slice(range.pos, range.end));
        if (!match) continue;
        const [, linter, scope = "", rest] = match;
        const [rules, ...why] = rest.split(" -- ");
        const line = text.slice(0, range.pos).split("\n").length;
        const problem = (message: string) => problems.push({ line, message });
        if (linter === "eslint") problem(`eslint-disable${scope} names ESLint, which this project does not run: write oxlint-disable${scope}`);
        if (!rules.trim()) problem(`${linter}-disable${scope} turns off every rule: name the rule`);
        if (!why.join(" -- ").trim()) problem(`${linter}-disable${scope} does not say why: add \` -- \` and the reason`);
    }
    return problems;
}

function main(): number {
    const root = path.resolve(__dirname, "../..");
    const tracked = execFileSync("git", ["ls-files", "-z", "--", "*.ts", "*.js", "*.cjs", "*.mjs", ":!test/fixtures/**"], { cwd: root, encoding: "utf8" });
    let count = 0;
    for (const file of tracked.split("\0").filter(Boolean)) {
        const full = path.join(root, file);
        if (!fs.existsSync(full)) continue;
        for (const { line, message } of directiveProblems(file, fs.readFileSync(full, "utf8"))) {
            process.stderr.write(`${file}:${line}: ${message}\n`);
            count++;
        }
    }
    if (count) process.stderr.write(`${count} lint directive${count === 1 ? "" : "s"} to fix.\n`);
    return count ? 1 : 0;
}

if (require.main === module) process.exitCode = main();
