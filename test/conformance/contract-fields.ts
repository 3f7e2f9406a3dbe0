/**
 * The fields of every contract, read from the types in components/contracts.ts
 * with the TypeScript compiler: each CloudKit method's spec, intersections
 * included. The conformance suite must have a case for each; a field added to a
 * contract without one fails a test.
 */
import * as path from "node:path";
import ts from "typescript";

const contractsFile = path.resolve(__dirname, "../../components/contracts.ts");

/** CloudKit method -> the names of every property its spec argument has. */
export function contractFields(): Record<string, string[]> {
    const program = ts.createProgram([contractsFile], { strict: true, noEmit: true, skipLibCheck: true, types: [] });
    const checker = program.getTypeChecker();
    const source = program.getSourceFile(contractsFile)!;
    const cloudKit = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === "CloudKit");
    if (!cloudKit) throw new Error("components/contracts.ts declares no CloudKit interface.");
    const fields: Record<string, string[]> = {};
    for (const member of cloudKit.members) {
        if (!ts.isMethodSignature(member) || !member.name || !ts.isIdentifier(member.name)) continue;
        const spec = member.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === "spec");
        if (!spec?.type) continue;
        const type = checker.getTypeFromTypeNode(spec.type);
        fields[member.name.text] = checker
            .getPropertiesOfType(type)
            .map((p) => p.getName())
            .sort();
    }
    return fields;
}
