/**
 * What packages code names, read with the TypeScript compiler: every module
 * specifier of a file (imports and exports, type-only too, import-equals,
 * `require()`, `import()` calls and import types), and the package each names.
 */
import * as fs from "node:fs";
import { isBuiltin } from "node:module";
import ts from "typescript";

export function specifiersOf(file: string): string[] {
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
            if (isRequire || node.expression.kind === ts.SyntaxKind.ImportKeyword) found.push(node.arguments[0].text);
        } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
            found.push(node.argument.literal.text);
        }
        ts.forEachChild(node, visit);
    };
    visit(source);
    return found;
}

/** `@pulumi/aws/ec2` is the package @pulumi/aws; a relative path or a Node built-in is no package. */
export function packageOf(specifier: string): string | undefined {
    if (specifier.startsWith(".") || specifier.startsWith("/") || isBuiltin(specifier)) return undefined;
    const parts = specifier.split("/");
    return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}
