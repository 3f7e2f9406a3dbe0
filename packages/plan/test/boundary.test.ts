/**
 * The package stands alone: no file of it (its code, its tests, its fixtures'
 * programs and packs) names a module outside packages/plan, and every package it
 * names is one of its own dependencies, so it installs and runs in any project.
 */
import * as fs from "node:fs";
import { isBuiltin } from "node:module";
import * as path from "node:path";
import ts from "typescript";

const packageDir = path.resolve(__dirname, "..");
const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, "package.json"), "utf8"));
const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.devDependencies ?? {})]);

/** Every module specifier of a file: imports and exports (type-only too), import-equals, `require()`, `import()` and import types. */
function specifiersOf(file: string): string[] {
    const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    const found: string[] = [];
    const visit = (node: ts.Node) => {
        if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
            found.push(node.moduleSpecifier.text);
        } else if (
            ts.isImportEqualsDeclaration(node) &&
            ts.isExternalModuleReference(node.moduleReference) &&
            ts.isStringLiteral(node.moduleReference.expression)
        ) {
            found.push(node.moduleReference.expression.text);
        } else if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isStringLiteralLike(node.arguments[0])) {
            const isRequire = ts.isIdentifier(node.expression) && node.expression.text === "require";
            const isResolve =
                ts.isPropertyAccessExpression(node.expression) && ts.isIdentifier(node.expression.expression) && node.expression.expression.text === "require";
            if (isRequire || isResolve || node.expression.kind === ts.SyntaxKind.ImportKeyword) found.push(node.arguments[0].text);
        } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
            found.push(node.argument.literal.text);
        }
        ts.forEachChild(node, visit);
    };
    visit(source);
    return found;
}

/** The package's files that name modules: TypeScript and JavaScript, outside node_modules and the directories tests write. */
function sources(dir = packageDir): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) return entry.name === "node_modules" || entry.name.startsWith(".") ? [] : sources(full);
        return /\.(ts|cts|mts|js|cjs|mjs)$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [full] : [];
    });
}

const files = sources();
const named = files.flatMap((file) => specifiersOf(file).map((specifier) => ({ file: path.relative(packageDir, file), specifier })));

test("the package's code, tests and fixtures are all read", () => {
    const relative = files.map((f) => path.relative(packageDir, f));
    expect(relative).toEqual(
        expect.arrayContaining([
            "src/index.ts",
            "src/cli.ts",
            "src/runtime/typescript-hook.cjs",
            "test/cost.test.ts",
            "test/fixtures/efs-program/index.ts",
            "test/fixtures/js-pack/index.js",
        ]),
    );
    expect(named.length).toBeGreaterThan(200);
});

test("no file names a module outside packages/plan", () => {
    const outside = named
        .filter(({ specifier }) => specifier.startsWith("."))
        .filter(({ file, specifier }) => {
            const target = path.resolve(packageDir, path.dirname(file), specifier);
            return target !== packageDir && !target.startsWith(packageDir + path.sep);
        })
        .map(({ file, specifier }) => `${file}: ${specifier}`);
    expect(outside).toEqual([]);
});

test("every package the package's own code names is a dependency of its package.json", () => {
    const packageOf = (specifier: string) => (specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]);
    const undeclared = named
        .filter(({ file }) => file.startsWith("src/") || file.startsWith("bin/"))
        .filter(({ specifier }) => !specifier.startsWith(".") && !path.isAbsolute(specifier) && !isBuiltin(specifier))
        .filter(({ specifier }) => !declared.has(packageOf(specifier)))
        .map(({ file, specifier }) => `${file}: ${specifier}`);
    expect(undeclared).toEqual([]);
});
