/**
 * Answers to provider functions (data sources) for the offline plan, one table per
 * cloud. A real preview calls the provider; offline, each answer is a fixed,
 * realistic value that depends only on the call's inputs. A call that no table
 * answers is an error that names its token, so nothing is silently made up.
 */
import { aws } from "./aws";
import { gcp } from "./gcp";
import { alicloud } from "./alicloud";
import { kubernetes } from "./kubernetes";

export type DataSourceAnswer = (inputs: Record<string, any>) => Record<string, unknown>;

export const dataSources: Record<string, DataSourceAnswer> = { ...aws, ...gcp, ...alicloud, ...kubernetes };

export class UnansweredCallError extends Error {
    constructor(readonly token: string) {
        super(
            `The offline plan has no answer for the provider function \`${token}\`. ` +
                `Add one to tools/plan/data-sources/ (one table per cloud), or run \`pulumi preview\` with credentials.`,
        );
        this.name = "UnansweredCallError";
    }
}

export function answerCall(token: string, inputs: Record<string, any>): Record<string, unknown> {
    const answer = dataSources[token];
    if (!answer) throw new UnansweredCallError(token);
    return answer(inputs ?? {});
}
