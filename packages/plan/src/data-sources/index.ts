/**
 * Answers to provider functions (data sources) for the offline plan. A real
 * preview calls the provider; offline, every function of the four installed
 * provider SDKs answers:
 *
 * - curated answers (one table per cloud) give realistic values that depend
 *   on the call's inputs and the configuration of the provider it is called
 *   with (provider-settings.ts), for the functions programs commonly call;
 *   what only the cloud knows (an account id) is a stand-in they name;
 * - every other function answers with a stand-in of its declared result shape
 *   (stand-in.ts, from the shapes the SDKs declare), which the plan lists.
 *
 * A token of no installed SDK is an error that names it, so nothing is made up
 * for a function nobody declared.
 */
import { aws } from "./aws";
import { gcp } from "./gcp";
import { alicloud } from "./alicloud";
import { kubernetes, kubernetesStandIns } from "./kubernetes";
import { functionShape, providerShapes, shapeProviders } from "./shapes";
import { standInOutputs } from "./stand-in";
import { ProviderSettings, type ProviderConfig } from "./provider-settings";

export type { ProviderConfig };
export { ProviderSettings };

export type DataSourceAnswer = (inputs: Record<string, unknown>, provider: ProviderSettings) => Record<string, unknown>;

/** What an answer that is a value of the function's declared shape stands for. */
export const shapeStandIn = "a stand-in of its declared result shape";

export interface FunctionAnswer {
    outputs: Record<string, unknown>;
    /** True when the outputs stand in for values only the provider knows. */
    standIn: boolean;
    /** What they stand in for, in words: the shape, or the values a curated answer could not know. */
    standInFor: string[];
}

/** Realistic answers. */
export const dataSources: Record<string, DataSourceAnswer> = { ...aws, ...gcp, ...alicloud, ...kubernetes };

/** Hand-written answers to functions whose values cannot be had offline (a chart's rendering). */
const handWrittenStandIns: Record<string, DataSourceAnswer> = { ...kubernetesStandIns };

/**
 * The mock runtime hands a failed call's `details` to the program (as a gRPC
 * error carries them), so the message must be there too.
 */
abstract class CallError extends Error {
    readonly details: string;
    constructor(message: string) {
        super(message);
        this.details = message;
    }
}

export class UnansweredCallError extends CallError {
    constructor(readonly token: string) {
        const sdks = shapeProviders.map((p) => `${providerShapes(p).sdk} ${providerShapes(p).version}`).join(", ");
        super(
            `The offline plan knows no provider function \`${token}\`: it is no function of ${sdks}. ` +
                `If the SDKs were upgraded, run \`npm run generate:functions\`; for another provider, ` +
                `add an answer to pulumi-offline-plan's src/data-sources/ (one table per cloud), or run \`pulumi preview\` with credentials.`,
        );
        this.name = "UnansweredCallError";
    }
}

export class CallAnswerError extends CallError {
    constructor(
        readonly token: string,
        cause: unknown,
    ) {
        const reason = cause instanceof Error ? cause.message : String(cause);
        super(`The offline answer to the provider function \`${token}\` failed: ${reason}`);
        this.name = "CallAnswerError";
    }
}

function run(token: string, answer: DataSourceAnswer, inputs: Record<string, unknown>, provider: ProviderSettings): Record<string, unknown> {
    try {
        return answer(inputs, provider);
    } catch (error) {
        throw new CallAnswerError(token, error);
    }
}

/**
 * Answers a call made with a provider of the given configuration; without one,
 * with the package's default provider configured by nothing but its environment.
 */
export function answerCall(token: string, inputs: Record<string, unknown>, config?: ProviderConfig): FunctionAnswer {
    const args = inputs ?? {};
    const provider = new ProviderSettings(config ?? { pkg: token.split(":")[0], values: {} });
    const curated = dataSources[token];
    if (curated) {
        const outputs = run(token, curated, args, provider);
        return { outputs, standIn: provider.standInFor.length > 0, standInFor: provider.standInFor };
    }
    const handWritten = handWrittenStandIns[token];
    if (handWritten) return { outputs: run(token, handWritten, args, provider), standIn: true, standInFor: ["what it renders, which is unknown offline"] };
    const shape = functionShape(token);
    if (!shape) throw new UnansweredCallError(token);
    return { outputs: standInOutputs(token, args, shape.fn, shape.types), standIn: true, standInFor: [shapeStandIn] };
}
