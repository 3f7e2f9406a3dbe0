/**
 * What a converter group's members are told, apart from the resources that carry
 * it: each member's configuration file in the shape the converter reads, the
 * identity of the group's membership, and the alert rules on its lag metrics.
 * Pure, so the shapes are tested alone (components/kubernetes/converter-group.ts
 * puts them into a ConfigMap, the StatefulSet and a PrometheusRule).
 */
import { createHash } from "node:crypto";
import { stringify } from "yaml";
import { lagMeasures, type ConverterLimits, type LagMeasure } from "../contracts";

/** Safe defaults: small batches, two in flight, a buffer the source's default connection accepts. */
export const defaultConverterLimits: ConverterLimits = { bytes: "10mb", actions: 1000, timeout: "1m", concurrency: 2, flowControlBuffer: "16mb" };

const sizePattern = /^[1-9]\d*(b|kb|mb|gb)$/;
const durationPattern = /^[1-9]\d*(ms|s|m|h)$/;

/** Throws one error naming the limit, its value and what is allowed. */
export function validateConverterLimits(component: string, limits: ConverterLimits): void {
    for (const key of ["bytes", "flowControlBuffer"] as const) {
        if (!sizePattern.test(limits[key]))
            throw new Error(`${component}: \`limits.${key}\` must be a size such as "10mb" (b, kb, mb or gb), got ${JSON.stringify(limits[key])}.`);
    }
    if (!durationPattern.test(limits.timeout)) {
        throw new Error(`${component}: \`limits.timeout\` must be a duration such as "1m" (ms, s, m or h), got ${JSON.stringify(limits.timeout)}.`);
    }
    for (const key of ["actions", "concurrency"] as const) {
        if (!Number.isInteger(limits[key]) || limits[key] < 1)
            throw new Error(`${component}: \`limits.${key}\` must be a whole number >= 1, got ${limits[key]}.`);
    }
}

/**
 * One member's configuration, as the converter reads it: the group's name (the
 * source keeps the group's position under it), the member's number (from 1) and
 * the group's size, and the limits.
 */
export function memberConfig(groupName: string, memberNumber: number, totalMembers: number, limits: ConverterLimits) {
    return {
        group: {
            name: groupName,
            membership: { memberNumber, totalMembers },
            limit: { bytes: limits.bytes, actions: limits.actions, timeout: limits.timeout, concurrency: limits.concurrency },
        },
        dcp: { sourceConfig: { flowControlBuffer: limits.flowControlBuffer } },
    };
}

/** The file of the member with a pod ordinal (0-based, the StatefulSet's `apps.kubernetes.io/pod-index`). */
export const memberFileName = (ordinal: number) => `member-${ordinal}.yaml`;

/** Every member's file, keyed by file name: one per pod ordinal, each with the same group and size. */
export function memberFiles(groupName: string, totalMembers: number, limits: ConverterLimits): Record<string, string> {
    return Object.fromEntries(
        Array.from({ length: totalMembers }, (_, ordinal) => [memberFileName(ordinal), stringify(memberConfig(groupName, ordinal + 1, totalMembers, limits))]),
    );
}

/**
 * A label value that changes exactly when the membership does (the group's
 * name or its size): what the members agree on. Put in the StatefulSet's
 * selector, a change of it replaces the whole group instead of rolling it.
 */
export function membershipId(groupName: string, totalMembers: number): string {
    return createHash("sha256").update(`${groupName}\n${totalMembers}`).digest("hex").slice(0, 12);
}

/** A short content hash for the name of an immutable object that is replaced whenever its content changes. */
export function contentHash(content: Record<string, string>): string {
    const hash = createHash("sha256");
    for (const key of Object.keys(content).sort()) hash.update(`${key}\n${content[key]}\n`);
    return hash.digest("hex").slice(0, 10);
}

export interface LagAlerts {
    /** The metric each member exposes for the measure: time waiting in the queue, conversion time, end to end. */
    metrics: Record<LagMeasure, string>;
    /** Above this many seconds, held for `forMinutes`, the alert fires. */
    thresholdSeconds: Record<LagMeasure, number>;
    forMinutes: number;
}

export const defaultLagAlerts: LagAlerts = {
    metrics: {
        queueWait: "cdc_converter_queue_wait_seconds",
        conversion: "cdc_converter_conversion_seconds",
        endToEnd: "cdc_converter_end_to_end_lag_seconds",
    },
    thresholdSeconds: { queueWait: 60, conversion: 10, endToEnd: 300 },
    forMinutes: 10,
};

const metricNamePattern = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

export function validateLagAlerts(component: string, alerts: LagAlerts): void {
    for (const measure of lagMeasures) {
        if (!metricNamePattern.test(alerts.metrics[measure])) {
            throw new Error(
                `${component}: \`lagAlerts.metrics.${measure}\` must be a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*), got ${JSON.stringify(alerts.metrics[measure])}.`,
            );
        }
        const threshold = alerts.thresholdSeconds[measure];
        if (!(typeof threshold === "number" && threshold > 0 && Number.isFinite(threshold))) {
            throw new Error(`${component}: \`lagAlerts.thresholdSeconds.${measure}\` must be a number of seconds above 0, got ${threshold}.`);
        }
    }
    if (!Number.isInteger(alerts.forMinutes) || alerts.forMinutes < 1)
        throw new Error(`${component}: \`lagAlerts.forMinutes\` must be a whole number >= 1, got ${alerts.forMinutes}.`);
}

const alertOf: Record<LagMeasure, { alert: string; summary: (seconds: number) => string; severity: string }> = {
    queueWait: { alert: "ConverterQueueWaitHigh", summary: (s) => `Changes wait in the queue for more than ${s} s`, severity: "warning" },
    conversion: { alert: "ConverterConversionSlow", summary: (s) => `Converting a change takes more than ${s} s`, severity: "warning" },
    // Readers of the target see data this late: the one the service's users notice.
    endToEnd: { alert: "ConverterEndToEndLagHigh", summary: (s) => `Changes reach the target more than ${s} s after the source`, severity: "critical" },
};

/** The alert rules of a group's lag metrics, for the members in `namespace` (the group's own). */
export function lagAlertRules(alerts: LagAlerts, namespace: string, groupName: string) {
    return lagMeasures.map((measure) => {
        const { alert, summary, severity } = alertOf[measure];
        const threshold = alerts.thresholdSeconds[measure];
        return {
            alert,
            expr: `max(${alerts.metrics[measure]}{namespace="${namespace}"}) > ${threshold}`,
            for: `${alerts.forMinutes}m`,
            labels: { severity },
            annotations: {
                summary: `${summary(threshold)} in converter group ${groupName}`,
                description: `${alerts.metrics[measure]} has been above ${threshold} s for ${alerts.forMinutes} minutes in namespace ${namespace}.`,
            },
        };
    });
}
