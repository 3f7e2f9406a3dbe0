/**
 * Values that only exist per cloud (a certificate, a VM image), kept side by
 * side in one stack file under neutral keys, so moving a workload is a change of
 * `multicloud:clouds` alone: each cloud's value is read only where it is placed.
 */
import { z } from "zod";
import { cloudDescriptors, type Cloud, type ImageCloud } from "../components/clouds";
import type { Format } from "../components/core/cloud";
import { sizeList, sizes } from "../components/core/sizes";
import { ConfigError } from "./config";

/** Each cloud's reference to a TLS certificate of the HTTPS listener, with an example for messages. */
export const certificateFormats = Object.fromEntries(cloudDescriptors.map((c) => [c.id, c.certificate])) as Record<Cloud, Format>;

/** Each cloud's reference to an immutable VM image, where the cloud runs VMs of the stack's image. */
export const imageFormats = Object.fromEntries(cloudDescriptors.flatMap((c) => ("image" in c ? [[c.id, c.image]] : []))) as Record<ImageCloud, Format>;

/** A map of one value per cloud, each checked against its cloud's format. */
function perCloud<C extends Cloud>(formats: Record<C, { pattern: RegExp; what: string }>, description: string) {
    const shape = Object.fromEntries(
        (Object.keys(formats) as C[]).map((cloud) => [
            cloud,
            z.string().regex(formats[cloud].pattern, formats[cloud].what).optional().describe(formats[cloud].what),
        ]),
    ) as Record<C, z.ZodOptional<z.ZodString>>;
    return z
        .object(shape)
        .strict()
        .default({} as never)
        .describe(description);
}

export const certificatesSchema = perCloud(
    certificateFormats,
    "TLS certificate of the HTTPS listener on each cloud the workload may run on; the placed clouds' are required.",
);

export const imagesSchema = perCloud(imageFormats, "Immutable VM image on each cloud the workload may run on; the placed clouds' are required.");

export const sizeSchema = z.enum(sizes).describe(`Neutral instance size, mapped to each cloud's own type: ${sizeList}.`);

/**
 * Throws a configuration error when a cloud the workload is placed on has no
 * value under `key`, naming the clouds that lack one and the format each needs.
 */
export function requirePerCloud(
    values: Partial<Record<Cloud, string>>,
    key: string,
    placed: readonly Cloud[],
    formats: Partial<Record<Cloud, { what: string }>>,
    stackFile: string,
): void {
    const missing = placed.filter((cloud) => !values[cloud]);
    if (missing.length === 0) return;
    const unsupported = missing.filter((cloud) => !formats[cloud]);
    if (unsupported.length > 0) {
        throw new ConfigError(
            `Invalid configuration in ${stackFile}:\n  multicloud:${key} has no value on ${unsupported.join(", ")}: ` +
                `this value exists on ${Object.keys(formats).join(", ")} only; place the workload there.`,
        );
    }
    throw new ConfigError(
        `Invalid configuration in ${stackFile}:\n` +
            missing.map((cloud) => `  multicloud:${key}.${cloud} = (missing): the workload runs on ${cloud}; set ${formats[cloud]!.what}.`).join("\n"),
    );
}
