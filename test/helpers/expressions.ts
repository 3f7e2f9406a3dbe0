/**
 * GitHub Actions expressions (`${{ }}`), evaluated as a hosted runner does, for
 * the workflow runner. GitHub's own evaluator (@actions/expressions) ships as an
 * ES module with an import-only export map, which Jest's CommonJS runtime
 * cannot load; this covers the part of the language the workflows use:
 * contexts and property access, literals, `!`, `==`, `!=`, `<`, `<=`, `>`,
 * `>=`, `&&`, `||`, and the functions `fromJSON`, `toJSON`, `format`,
 * `contains`, `startsWith`, `endsWith`, `join`, `success`, `always`,
 * `failure`, `cancelled`. Anything else is an error, never a silent guess.
 */

export type Value = null | boolean | number | string | Value[] | { [key: string]: Value };

export interface Status {
    /** True once a step (or a needed job) has failed. */
    failed: boolean;
}

type Token = { kind: "num"; value: number } | { kind: "str"; value: string } | { kind: "ident"; value: string } | { kind: "op"; value: string };

function lex(source: string): Token[] {
    const tokens: Token[] = [];
    let i = 0;
    while (i < source.length) {
        const c = source[i];
        if (/\s/.test(c)) {
            i++;
        } else if (c === "'") {
            let value = "";
            i++;
            for (;;) {
                if (i >= source.length) throw new Error(`Unterminated string in expression: ${source}`);
                if (source[i] === "'") {
                    if (source[i + 1] === "'") {
                        value += "'";
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                value += source[i++];
            }
            tokens.push({ kind: "str", value });
        } else if (/[0-9]/.test(c) || (c === "-" && /[0-9]/.test(source[i + 1] ?? ""))) {
            const m = /^-?(0x[0-9a-f]+|[0-9]+(\.[0-9]+)?(e[+-]?[0-9]+)?)/i.exec(source.slice(i))!;
            tokens.push({ kind: "num", value: Number(m[0]) });
            i += m[0].length;
        } else if (/[A-Za-z_]/.test(c)) {
            const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(source.slice(i))!;
            tokens.push({ kind: "ident", value: m[0] });
            i += m[0].length;
        } else {
            const op = ["==", "!=", "<=", ">=", "&&", "||"].find((o) => source.startsWith(o, i)) ?? c;
            if (!["==", "!=", "<=", ">=", "&&", "||", "!", "<", ">", "(", ")", "[", "]", ".", ",", "*"].includes(op)) {
                throw new Error(`Unexpected '${op}' in expression: ${source}`);
            }
            tokens.push({ kind: "op", value: op });
            i += op.length;
        }
    }
    return tokens;
}

type Node =
    | { kind: "literal"; value: Value }
    | { kind: "context"; name: string }
    | { kind: "index"; target: Node; key: Node }
    | { kind: "not"; operand: Node }
    | { kind: "binary"; op: string; left: Node; right: Node }
    | { kind: "call"; name: string; args: Node[] };

function parse(source: string): Node {
    const tokens = lex(source);
    let pos = 0;
    const peek = () => tokens[pos];
    const isOp = (value: string) => peek()?.kind === "op" && peek().value === value;
    const expectOp = (value: string) => {
        if (!isOp(value)) throw new Error(`Expected '${value}' in expression: ${source}`);
        pos++;
    };
    const binary = (next: () => Node, ops: string[]) => (): Node => {
        let left = next();
        while (peek()?.kind === "op" && ops.includes(String(peek().value))) {
            const op = String(tokens[pos++].value);
            left = { kind: "binary", op, left, right: next() };
        }
        return left;
    };
    const primary = (): Node => {
        const t = tokens[pos++];
        if (!t) throw new Error(`Unexpected end of expression: ${source}`);
        let node: Node;
        if (t.kind === "num" || t.kind === "str") node = { kind: "literal", value: t.value };
        else if (t.kind === "op" && t.value === "(") {
            node = or();
            expectOp(")");
        } else if (t.kind === "op" && t.value === "!") return { kind: "not", operand: primary() };
        else if (t.kind === "ident") {
            if (["true", "false", "null"].includes(t.value)) node = { kind: "literal", value: JSON.parse(t.value) };
            else if (isOp("(")) {
                pos++;
                const args: Node[] = [];
                while (!isOp(")")) {
                    args.push(or());
                    if (!isOp(")")) expectOp(",");
                }
                pos++;
                node = { kind: "call", name: t.value.toLowerCase(), args };
            } else node = { kind: "context", name: t.value };
        } else throw new Error(`Unexpected '${t.value}' in expression: ${source}`);
        for (;;) {
            if (isOp(".")) {
                pos++;
                const name = tokens[pos++];
                if (name?.kind !== "ident") throw new Error(`Expected a property name after '.' in expression: ${source}`);
                node = { kind: "index", target: node, key: { kind: "literal", value: name.value } };
            } else if (isOp("[")) {
                pos++;
                const key = or();
                expectOp("]");
                node = { kind: "index", target: node, key };
            } else return node;
        }
    };
    const comparison = binary(primary, ["<", "<=", ">", ">="]);
    const equality = binary(comparison, ["==", "!="]);
    const and = binary(equality, ["&&"]);
    const or: () => Node = binary(and, ["||"]);
    const tree = or();
    if (pos < tokens.length) throw new Error(`Unexpected '${String(tokens[pos].value)}' in expression: ${source}`);
    return tree;
}

export function truthy(v: Value): boolean {
    return !(v === null || v === false || v === 0 || v === "" || (typeof v === "number" && Number.isNaN(v)));
}

function toNumber(v: Value): number {
    if (v === null) return 0;
    if (typeof v === "boolean") return v ? 1 : 0;
    if (typeof v === "number") return v;
    if (typeof v === "string") return v.trim() === "" ? 0 : Number(v);
    return NaN;
}

/** The string a value becomes in a workflow file: `null` is empty, objects are JSON. */
export function toText(v: Value): string {
    if (v === null) return "";
    if (typeof v === "string") return v;
    if (typeof v === "object") return JSON.stringify(v, null, 2);
    return String(v);
}

/** Loose equality as documented: strings ignore case, other mixed types compare as numbers. */
function equal(a: Value, b: Value): boolean {
    if (typeof a === "string" && typeof b === "string") return a.toLowerCase() === b.toLowerCase();
    if (typeof a === typeof b && (typeof a !== "object" || a === null || b === null)) return a === b;
    if (typeof a === "object" && a !== null && typeof b === "object" && b !== null) return a === b;
    if (a === null && b === null) return true;
    if ((typeof a === "object" && a !== null) || (typeof b === "object" && b !== null)) return false;
    return toNumber(a) === toNumber(b);
}

function index(target: Value, key: Value): Value {
    if (target === null || typeof target !== "object") return null;
    if (Array.isArray(target)) return typeof key === "number" ? (target[key] ?? null) : null;
    const wanted = toText(key).toLowerCase();
    const found = Object.keys(target).find((k) => k.toLowerCase() === wanted);
    return found === undefined ? null : (target[found] ?? null);
}

function call(name: string, args: Value[], status: Status): Value {
    switch (name) {
        case "success":
            return !status.failed;
        case "failure":
            return status.failed;
        case "always":
            return true;
        case "cancelled":
            return false;
        case "fromjson":
            return JSON.parse(toText(args[0])) as Value;
        case "tojson":
            return JSON.stringify(args[0], null, 2);
        case "format":
            return toText(args[0])
                .replace(/\{\{/g, "\u0000")
                .replace(/\}\}/g, "\u0001")
                .replace(/\{(\d+)\}/g, (_, n: string) => toText(args[Number(n) + 1] ?? null))
                .replaceAll("\u0000", "{")
                .replaceAll("\u0001", "}");
        case "contains": {
            const [haystack, needle] = args;
            if (Array.isArray(haystack)) return haystack.some((item) => equal(item, needle));
            return toText(haystack).toLowerCase().includes(toText(needle).toLowerCase());
        }
        case "startswith":
            return toText(args[0]).toLowerCase().startsWith(toText(args[1]).toLowerCase());
        case "endswith":
            return toText(args[0]).toLowerCase().endsWith(toText(args[1]).toLowerCase());
        case "join":
            return Array.isArray(args[0]) ? args[0].map(toText).join(args.length > 1 ? toText(args[1]) : ",") : toText(args[0]);
        default:
            throw new Error(`The workflow runner does not support the function ${name}().`);
    }
}

function evaluateNode(node: Node, context: Record<string, Value>, status: Status): Value {
    switch (node.kind) {
        case "literal":
            return node.value;
        case "context": {
            const found = Object.keys(context).find((k) => k.toLowerCase() === node.name.toLowerCase());
            if (found === undefined) throw new Error(`Unknown context '${node.name}'.`);
            return context[found];
        }
        case "index":
            return index(evaluateNode(node.target, context, status), evaluateNode(node.key, context, status));
        case "not":
            return !truthy(evaluateNode(node.operand, context, status));
        case "call":
            return call(
                node.name,
                node.args.map((a) => evaluateNode(a, context, status)),
                status,
            );
        case "binary": {
            const left = evaluateNode(node.left, context, status);
            if (node.op === "&&") return truthy(left) ? evaluateNode(node.right, context, status) : left;
            if (node.op === "||") return truthy(left) ? left : evaluateNode(node.right, context, status);
            const right = evaluateNode(node.right, context, status);
            if (node.op === "==") return equal(left, right);
            if (node.op === "!=") return !equal(left, right);
            const [a, b] =
                typeof left === "string" && typeof right === "string" ? [left.toLowerCase(), right.toLowerCase()] : [toNumber(left), toNumber(right)];
            return node.op === "<" ? a < b : node.op === "<=" ? a <= b : node.op === ">" ? a > b : a >= b;
        }
    }
}

export function evaluate(expression: string, context: Record<string, Value>, status: Status = { failed: false }): Value {
    return evaluateNode(parse(expression), context, status);
}

const embedded = /\$\{\{([\s\S]*?)\}\}/g;

/** Substitutes every `${{ }}` in a string. A string that is one whole expression keeps its value's type. */
export function interpolate(text: string, context: Record<string, Value>, status?: Status): Value {
    const whole = /^\s*\$\{\{([\s\S]*?)\}\}\s*$/.exec(text);
    if (whole && !whole[1].includes("}}")) return evaluate(whole[1], context, status);
    return text.replace(embedded, (_, expression: string) => toText(evaluate(expression, context, status)));
}

/** An `if:` condition: the `${{ }}` is optional, and without a status function `success() &&` is implied. */
export function condition(text: string | boolean | undefined, context: Record<string, Value>, status: Status): boolean {
    if (text === undefined) return !status.failed;
    if (typeof text === "boolean") return text && !status.failed;
    const bare = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(text)?.[1] ?? text;
    const guarded = /\b(success|failure|always|cancelled)\s*\(/i.test(bare) ? bare : `success() && (${bare})`;
    return truthy(evaluate(guarded, context, status));
}
