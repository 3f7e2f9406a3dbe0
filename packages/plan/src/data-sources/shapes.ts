/**
 * The declared result shapes of every provider function, as
 * tools/generate/function-shapes.ts derives them from the installed SDKs (see
 * there for the notation), read lazily: one provider's file on its first call.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export type Shape = string | [Shape] | { [key: string]: Shape };

export interface FunctionShape {
    /** The result the provider returns; null when the SDK declares none. */
    result: Shape | null;
    /** True when the SDK unwraps the result's single property (`invokeSingle`). */
    single?: true;
}

export interface ProviderShapes {
    sdk: string;
    version: string;
    functions: Record<string, FunctionShape>;
    types: Record<string, Shape>;
}

export const shapeProviders = ["aws", "gcp", "alicloud", "kubernetes"] as const;
export type ShapeProvider = (typeof shapeProviders)[number];

export const shapesFile = (provider: ShapeProvider) => path.join(__dirname, "shapes", `${provider}.json`);

const loaded = new Map<string, ProviderShapes>();

export function providerShapes(provider: ShapeProvider): ProviderShapes {
    let shapes = loaded.get(provider);
    if (!shapes) {
        shapes = JSON.parse(fs.readFileSync(shapesFile(provider), "utf8")) as ProviderShapes;
        loaded.set(provider, shapes);
    }
    return shapes;
}

/** The shape of a function by its token, with its provider's named types; none for a token of no known function. */
export function functionShape(token: string): { fn: FunctionShape; types: Record<string, Shape> } | undefined {
    const provider = token.split(":")[0] as ShapeProvider;
    if (!shapeProviders.includes(provider)) return undefined;
    const shapes = providerShapes(provider);
    const fn = shapes.functions[token];
    return fn && { fn, types: shapes.types };
}
