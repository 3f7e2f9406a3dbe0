/**
 * Resource policies that read a property under the provider SDK's own name and
 * type, so a misspelt property or a wrong value type fails to compile.
 *
 * The SDK is imported for its types only (`import type`): the compiled pack never
 * loads @pulumi/aws, gcp, alicloud or kubernetes, whose modules would slow every
 * start of the pack. The policy SDK's `validateResourceOfType` takes the resource
 * class itself and so would load them.
 *
 * Policies that judge many types from the generated catalog (cost-allocation tags,
 * regions, encryption at rest, public access, stateful types) read properties by
 * name: no single `*Args` type describes them.
 */
import type { ResourceValidation, TypedResourceValidation } from "@pulumi/policy";
import type { Unwrap } from "@pulumi/pulumi";

/**
 * What a policy receives for a resource whose SDK inputs are `Args`: the resolved
 * values, not `pulumi.Input`s.
 */
export type Plain<Args> = Unwrap<Args>;

/** A policy's view of one resource of a known type: the policy SDK's own callback shape. */
export type TypedValidation<Args> = TypedResourceValidation<Plain<Args>>;

/**
 * A resource validation that judges only resources of type token `type`, with
 * their inputs typed by the SDK's `Args`, e.g.
 * `validateTyped<aws.sqs.QueueArgs>("aws:sqs/queue:Queue", (props, args, report) => ...)`.
 * Types judged alike (an instance and its templates) share one validation: a list
 * of tokens and the union of their `Args`, so only properties all of them declare
 * compile. Otherwise a policy lists one validation per type (`validateResource`
 * takes a list).
 */
export function validateTyped<Args>(type: string | readonly string[], validate: TypedValidation<Args>): ResourceValidation {
    const types: readonly string[] = typeof type === "string" ? [type] : type;
    const validation: ResourceValidation = (args, reportViolation) => {
        if (!types.includes(args.type)) return;
        return validate(args.props as Plain<Args>, args, reportViolation);
    };
    // A validation of one type carries it as `validateResourceOfType`'s do: the policy SDK
    // then passes over other types without decoding their inputs for this policy.
    if (types.length === 1) Object.assign(validation, { __pulumiType: types[0] });
    return validation;
}
