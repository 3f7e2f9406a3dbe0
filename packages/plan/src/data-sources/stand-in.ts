/**
 * A stand-in answer: a value of a function's declared result shape, for the
 * functions no curated table answers.
 *
 * - Inputs are echoed where the result has a property of the same name, as
 *   providers do.
 * - Required properties hold a value of their type, so a program can read and
 *   index them: strings name the property and a hash of the call, numbers are 0,
 *   booleans false, lists hold one item, maps are empty, objects are filled the
 *   same way. `id` is a stable stand-in derived from the token and inputs.
 * - Optional properties cannot be known offline (the provider may or may not
 *   set them): they are the protocol's unknown, which the mock runtime turns
 *   into an unknown value in a preview, as `pulumi preview` shows what it
 *   cannot know yet.
 */
import { createHash } from "node:crypto";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { functionShape, type FunctionShape, type Shape } from "./shapes";

/** Key order does not change the hash, so the same call answers the same everywhere. */
function canonical(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(canonical);
    if (value && typeof value === "object") {
        return Object.fromEntries(
            Object.keys(value)
                .sort()
                .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
        );
    }
    return value;
}

export const callHash = (token: string, inputs: Record<string, unknown>) =>
    createHash("sha256")
        .update(`${token}\n${JSON.stringify(canonical(inputs))}`)
        .digest("hex")
        .slice(0, 8);

const kebab = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();

/** The function's name from its token: `getRepository` from `aws:ecr/getRepository:getRepository`. */
const functionName = (token: string) => token.split(":").pop() ?? token;

class Filler {
    private readonly expanding: string[] = [];

    constructor(
        private readonly types: Record<string, Shape>,
        private readonly hash: string,
    ) {}

    /** A value of `shape` for the property `name`. */
    value(shape: Shape, name: string): unknown {
        if (Array.isArray(shape)) {
            const item = shape[0];
            // A type that contains itself ends in an empty list.
            if (typeof item === "string" && item.startsWith("@") && this.expanding.includes(item)) return [];
            return [this.value(item, name)];
        }
        if (typeof shape === "object") {
            if ("*" in shape) return {};
            return this.object(shape);
        }
        switch (shape[0]) {
            case "s":
                return `offline-${kebab(name)}-${this.hash}`;
            case "n":
                return 0;
            case "b":
                return false;
            case "=":
                return JSON.parse(shape.slice(1));
            case "@": {
                const named = this.types[shape.slice(1)];
                if (!named || this.expanding.includes(shape)) return unknownValue;
                this.expanding.push(shape);
                try {
                    return this.value(named, name);
                } finally {
                    this.expanding.pop();
                }
            }
            default:
                return unknownValue;
        }
    }

    object(shape: Record<string, Shape>, echo: Record<string, unknown> = {}): Record<string, unknown> {
        const out: Record<string, unknown> = {};
        for (const [key, property] of Object.entries(shape)) {
            const optional = key.endsWith("?");
            const name = optional ? key.slice(0, -1) : key;
            if (echo[name] !== undefined) out[name] = echo[name];
            else if (optional) out[name] = unknownValue;
            else out[name] = this.value(property, name);
        }
        return out;
    }
}

export function standInOutputs(token: string, inputs: Record<string, unknown>, fn: FunctionShape, types: Record<string, Shape>): Record<string, unknown> {
    const hash = callHash(token, inputs);
    const filler = new Filler(types, hash);
    const result = fn.result;
    if (result === null) return {};
    if (typeof result !== "object" || Array.isArray(result) || "*" in result) {
        return { result: filler.value(result, "result") };
    }
    const outputs = filler.object(result, fn.single ? {} : inputs);
    if (("id" in result || "id?" in result) && inputs.id === undefined) outputs.id = `${functionName(token)}-${hash}`;
    return outputs;
}

/**
 * A curated answer's starting point: the stand-in of the function's shape, over
 * which the answer sets the realistic values programs read, so a field the
 * table does not know is still of the declared type.
 */
export function shapedStandIn(token: string, inputs: Record<string, unknown>): Record<string, unknown> {
    const shape = functionShape(token);
    if (!shape) throw new Error(`no declared result shape for \`${token}\``);
    return standInOutputs(token, inputs, shape.fn, shape.types);
}
