/**
 * Pod Security Standard "restricted", plus resources, images and probes, for
 * every object that carries a pod template and every container list of a pod.
 */
import type { ResourceValidationArgs, ResourceValidationPolicy, ReportViolation } from "@pulumi/policy";
import type { types } from "@pulumi/kubernetes";
import { baseline, cites, framework } from "../controls";
import type { Plain } from "../typed";

/** A pod spec as the Kubernetes API defines it, wherever a kind keeps it. */
export type PodSpec = Plain<types.input.core.v1.PodSpec>;

/** Where each workload kind keeps its pod spec. */
const podSpecPaths: Record<string, string[]> = {
    "kubernetes:core/v1:Pod": ["spec"],
    "kubernetes:core/v1:ReplicationController": ["spec", "template", "spec"],
    "kubernetes:apps/v1:Deployment": ["spec", "template", "spec"],
    "kubernetes:apps/v1:StatefulSet": ["spec", "template", "spec"],
    "kubernetes:apps/v1:DaemonSet": ["spec", "template", "spec"],
    "kubernetes:apps/v1:ReplicaSet": ["spec", "template", "spec"],
    "kubernetes:batch/v1:Job": ["spec", "template", "spec"],
    "kubernetes:batch/v1:CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
};
/** Kinds that run pods. */
export const podWorkloadTypes = Object.keys(podSpecPaths);
const workloadTags = podWorkloadTypes.map((t) => `type:${t}`);
const runToCompletion = new Set(["kubernetes:batch/v1:Job", "kubernetes:batch/v1:CronJob"]);
const longRunningTypes = podWorkloadTypes.filter((t) => !runToCompletion.has(t));

export function podSpecOf(type: string, props: Record<string, unknown>): PodSpec | undefined {
    const path = podSpecPaths[type];
    return path?.reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), props) as PodSpec | undefined;
}

interface Container {
    kind: "container" | "init container" | "ephemeral container";
    spec: Plain<types.input.core.v1.Container> | Plain<types.input.core.v1.EphemeralContainer>;
}

/** Every container list of a pod counts. */
function containersOf(pod: PodSpec): Container[] {
    return [
        ...(pod.containers ?? []).map((spec) => ({ kind: "container" as const, spec })),
        ...(pod.initContainers ?? []).map((spec) => ({ kind: "init container" as const, spec })),
        ...(pod.ephemeralContainers ?? []).map((spec) => ({ kind: "ephemeral container" as const, spec })),
    ];
}

const label = (c: Container) => `${c.kind} "${c.spec.name ?? "?"}"`;

/** A policy over each container of each pod spec, with the pod spec for pod-level defaults. */
function perContainer(check: (c: Container, pod: PodSpec, report: (m: string) => void) => void) {
    return (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
        const pod = podSpecOf(args.type, args.props);
        if (!pod) return;
        for (const c of containersOf(pod)) check(c, pod, (m) => reportViolation(`${label(c)}: ${m}`));
    };
}

/** A policy that judges the pod spec once, then each of its containers. */
function podAndContainers(checkPod: (pod: PodSpec, report: (m: string) => void) => void, check: Parameters<typeof perContainer>[0]) {
    const containers = perContainer(check);
    return (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
        const pod = podSpecOf(args.type, args.props);
        if (!pod) return;
        checkPod(pod, (m) => reportViolation(m));
        containers(args, reportViolation);
    };
}

const pssUrl = "https://kubernetes.io/docs/concepts/security/pod-security-standards/";

export const k8sNoPrivilegedContainers: ResourceValidationPolicy = {
    name: "k8s-no-privileged-containers",
    description: "Kubernetes containers must not run privileged: never set `securityContext.privileged: true`.",
    severity: "critical",
    framework: framework("pss-baseline:Privileged Containers"),
    remediationSteps: "Remove `privileged: true`; grant the single capability the container needs instead.",
    url: pssUrl,
    tags: ["kubernetes", "pod-security", ...workloadTags, ...cites("pss-baseline:Privileged Containers", "checkov:CKV_K8S_16")],
    validateResource: perContainer((c, _pod, report) => {
        if (c.spec.securityContext?.privileged === true) report("runs privileged.");
    }),
};

export const k8sNoPrivilegeEscalation: ResourceValidationPolicy = {
    name: "k8s-no-privilege-escalation",
    description: "Kubernetes containers must set `securityContext.allowPrivilegeEscalation: false` (escalation is allowed when it is left out).",
    severity: "high",
    framework: framework("pss-restricted:Privilege Escalation (v1.8+)"),
    remediationSteps: "Add `securityContext: { allowPrivilegeEscalation: false }` to every container, init container included.",
    url: pssUrl,
    tags: ["kubernetes", "pod-security", ...workloadTags, ...cites("pss-restricted:Privilege Escalation (v1.8+)", "checkov:CKV_K8S_20")],
    validateResource: perContainer((c, _pod, report) => {
        if (c.spec.securityContext?.allowPrivilegeEscalation !== false) report("allows privilege escalation (`allowPrivilegeEscalation` is not false).");
    }),
};

export const k8sRunAsNonRoot: ResourceValidationPolicy = {
    name: "k8s-run-as-non-root",
    description: "Kubernetes containers must run as non-root: `runAsNonRoot: true` on the pod or the container, and no `runAsUser: 0` on either.",
    severity: "high",
    framework: framework("pss-restricted:Running as Non-root"),
    remediationSteps: "Set `securityContext: { runAsNonRoot: true, runAsUser: 10001 }` on the pod spec and build the image with a non-root USER.",
    url: pssUrl,
    tags: [
        "kubernetes",
        "pod-security",
        ...workloadTags,
        ...cites("pss-restricted:Running as Non-root", "pss-restricted:Running as Non-root user (v1.23+)", "checkov:CKV_K8S_23"),
    ],
    validateResource: podAndContainers(
        // The pod's own runAsUser is restricted too, even where every container overrides it.
        (pod, report) => {
            if (pod.securityContext?.runAsUser === 0) report("The pod sets runAsUser 0 (root).");
        },
        (c, pod, report) => {
            const own = c.spec.securityContext ?? {};
            const nonRoot = own.runAsNonRoot ?? pod.securityContext?.runAsNonRoot;
            if (own.runAsUser === 0) report("runs as root (runAsUser 0).");
            else if (own.runAsUser === undefined && pod.securityContext?.runAsUser === 0) return; // reported once, for the pod
            else if (nonRoot !== true) report("may run as root (`runAsNonRoot` is not true on the container or the pod).");
        },
    ),
};

export const k8sDropAllCapabilities: ResourceValidationPolicy = {
    name: "k8s-drop-all-capabilities",
    description: "Kubernetes containers must drop ALL capabilities and add back at most NET_BIND_SERVICE.",
    severity: "high",
    framework: framework("pss-restricted:Capabilities (v1.22+)"),
    remediationSteps: 'Set `securityContext: { capabilities: { drop: ["ALL"] } }` on every container.',
    url: pssUrl,
    tags: ["kubernetes", "pod-security", ...workloadTags, ...cites("pss-restricted:Capabilities (v1.22+)", "checkov:CKV_K8S_28", "checkov:CKV_K8S_37")],
    validateResource: perContainer((c, _pod, report) => {
        const caps = c.spec.securityContext?.capabilities ?? {};
        if (!(caps.drop ?? []).some((d: unknown) => String(d).toUpperCase() === "ALL")) report("does not drop ALL capabilities.");
        const added = (caps.add ?? []).map((a: unknown) => String(a).toUpperCase().replace(/^CAP_/, "")).filter((a: string) => a !== "NET_BIND_SERVICE");
        if (added.length > 0) report(`adds capabilities ${added.join(", ")}.`);
    }),
};

const allowedSeccompProfiles = new Set(["RuntimeDefault", "Localhost"]);

export const k8sSeccompRuntimeDefault: ResourceValidationPolicy = {
    name: "k8s-seccomp-runtime-default",
    description:
        "Kubernetes pods must use a seccomp profile: `seccompProfile.type` RuntimeDefault (or Localhost) on the pod or every container, and Unconfined on neither.",
    severity: "medium",
    framework: framework("pss-restricted:Seccomp (v1.19+)"),
    remediationSteps: 'Set `securityContext: { seccompProfile: { type: "RuntimeDefault" } }` on the pod spec.',
    url: pssUrl,
    // Checkov's CKV_K8S_31 refuses a Localhost profile, which the Pod Security Standards and this policy allow.
    tags: ["kubernetes", "pod-security", ...workloadTags, ...cites("pss-restricted:Seccomp (v1.19+)")],
    validateResource: podAndContainers(
        // A pod-level profile must be an allowed one even where every container sets its own.
        (pod, report) => {
            const type = pod.securityContext?.seccompProfile?.type;
            if (type !== undefined && !allowedSeccompProfiles.has(type)) report(`The pod uses seccomp profile ${type}.`);
        },
        (c, pod, report) => {
            const own = c.spec.securityContext?.seccompProfile?.type;
            const podType = pod.securityContext?.seccompProfile?.type;
            if (own !== undefined) {
                if (!allowedSeccompProfiles.has(own)) report(`uses seccomp profile ${own}.`);
            } else if (podType === undefined) report("has no seccomp profile (the default is Unconfined).");
        },
    ),
};

export const k8sResourceRequestsLimits: ResourceValidationPolicy = {
    name: "k8s-resource-requests-limits",
    description: "Kubernetes containers must request CPU and memory and set a memory limit, so the scheduler places them and one pod cannot starve a node.",
    severity: "medium",
    framework: baseline("k8s-resource-requests-limits", "Containers declare CPU and memory requests and a memory limit."),
    remediationSteps: 'Add `resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { memory: "256Mi" } }` to every container.',
    url: "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
    tags: ["kubernetes", "reliability", ...workloadTags, ...cites("checkov:CKV_K8S_10", "checkov:CKV_K8S_12", "checkov:CKV_K8S_13")],
    validateResource: perContainer((c, _pod, report) => {
        if (c.kind === "ephemeral container") return; // Ephemeral containers take no resources field.
        const r = c.spec.resources ?? {};
        const missing = [
            r.requests?.cpu === undefined ? "requests.cpu" : undefined,
            r.requests?.memory === undefined ? "requests.memory" : undefined,
            r.limits?.memory === undefined ? "limits.memory" : undefined,
        ].filter(Boolean);
        if (missing.length > 0) report(`has no ${missing.join(", ")}.`);
    }),
};

/** Splits an image reference into its tag and digest (a registry port is not a tag). */
export function imageParts(image: string): { tag?: string; digest?: string } {
    const [name, digest] = image.split("@");
    const lastSegment = name.slice(name.lastIndexOf("/") + 1);
    const colon = lastSegment.lastIndexOf(":");
    return { tag: colon >= 0 ? lastSegment.slice(colon + 1) : undefined, digest };
}

export const k8sImageTagged: ResourceValidationPolicy = {
    name: "k8s-image-tagged",
    description: "Kubernetes container images must name a version: a tag other than `latest`, or a digest (an untagged image means `latest`).",
    severity: "medium",
    framework: baseline("k8s-image-tagged", "Images are pinned so a rollout is repeatable."),
    remediationSteps: "Use `registry/image:1.4.2` or, better, `registry/image@sha256:<digest>`.",
    url: "https://kubernetes.io/docs/concepts/containers/images/#image-names",
    tags: ["kubernetes", "supply-chain", ...workloadTags, ...cites("checkov:CKV_K8S_14")],
    validateResource: perContainer((c, _pod, report) => {
        const { tag, digest } = imageParts(c.spec.image ?? "");
        if (digest) return;
        if (tag === undefined) report(`image "${c.spec.image}" has no tag (it means latest).`);
        else if (tag.toLowerCase() === "latest") report(`image "${c.spec.image}" uses the latest tag.`);
    }),
};

export const k8sImageDigest: ResourceValidationPolicy = {
    name: "k8s-image-digest",
    description:
        "In prod, Kubernetes container images must be pinned by digest (`image@sha256:...`), so what runs is exactly what was reviewed (dev: advisory).",
    severity: "medium",
    framework: baseline("k8s-image-digest", "Production images are immutable references."),
    remediationSteps: "Resolve the tag to its digest in CI and deploy `registry/image@sha256:<digest>`.",
    url: "https://kubernetes.io/docs/concepts/containers/images/#image-names",
    tags: ["kubernetes", "supply-chain", ...workloadTags, ...cites("checkov:CKV_K8S_43")],
    validateResource: perContainer((c, _pod, report) => {
        if (!imageParts(c.spec.image ?? "").digest) report(`image "${c.spec.image}" is not pinned by digest.`);
    }),
};

export const k8sProbes: ResourceValidationPolicy = {
    name: "k8s-probes",
    description: "Long-running Kubernetes containers must declare readiness and liveness probes (Jobs and CronJobs, init and ephemeral containers are exempt).",
    severity: "medium",
    framework: baseline("k8s-probes", "Traffic reaches only ready pods and hung pods are restarted."),
    remediationSteps: "Add `readinessProbe` and `livenessProbe` (httpGet, tcpSocket, grpc or exec) to every container.",
    url: "https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/",
    tags: [
        "kubernetes",
        "reliability",
        ...workloadTags,
        ...cites({ control: "checkov:CKV_K8S_8", types: longRunningTypes }, { control: "checkov:CKV_K8S_9", types: longRunningTypes }),
    ],
    validateResource: (args, reportViolation) => {
        if (runToCompletion.has(args.type)) return;
        perContainer((c, _pod, report) => {
            if (c.kind !== "container") return;
            const missing = (["readinessProbe", "livenessProbe"] as const).filter((p) => !c.spec[p]);
            if (missing.length > 0) report(`has no ${missing.join(" or ")}.`);
        })(args, reportViolation);
    },
};

export const k8sNoHostNamespaces: ResourceValidationPolicy = {
    name: "k8s-no-host-namespaces",
    description: "Kubernetes pods must not share the node's network, PID or IPC namespace (`hostNetwork`, `hostPID`, `hostIPC`) nor bind host ports.",
    severity: "high",
    framework: framework("pss-baseline:Host Namespaces"),
    remediationSteps: "Remove `hostNetwork`, `hostPID`, `hostIPC` and `ports[].hostPort`; expose the pod through a Service.",
    url: pssUrl,
    tags: [
        "kubernetes",
        "pod-security",
        ...workloadTags,
        ...cites("pss-baseline:Host Namespaces", "pss-baseline:Host Ports", "checkov:CKV_K8S_17", "checkov:CKV_K8S_18", "checkov:CKV_K8S_19"),
    ],
    validateResource: (args, reportViolation) => {
        const pod = podSpecOf(args.type, args.props);
        if (!pod) return;
        for (const field of ["hostNetwork", "hostPID", "hostIPC"] as const) if (pod[field] === true) reportViolation(`The pod sets ${field}: true.`);
        for (const c of containersOf(pod)) {
            const hostPorts = (c.spec.ports ?? []).map((p) => p.hostPort).filter((p: unknown) => p !== undefined && p !== 0);
            if (hostPorts.length > 0) reportViolation(`${label(c)}: binds host port(s) ${hostPorts.join(", ")}.`);
        }
    },
};

export const k8sNoHostPath: ResourceValidationPolicy = {
    name: "k8s-no-host-path",
    description: "Kubernetes pods must not mount hostPath volumes: use a PersistentVolumeClaim, emptyDir, ConfigMap or Secret.",
    severity: "high",
    framework: framework("pss-baseline:HostPath Volumes"),
    remediationSteps: "Replace the `hostPath` volume with a PersistentVolumeClaim or an emptyDir.",
    url: pssUrl,
    tags: ["kubernetes", "pod-security", ...workloadTags, ...cites("pss-baseline:HostPath Volumes")],
    validateResource: (args, reportViolation) => {
        const pod = podSpecOf(args.type, args.props);
        for (const v of pod?.volumes ?? []) if (v.hostPath) reportViolation(`Volume "${v.name}" mounts the node's ${v.hostPath.path ?? "filesystem"}.`);
    },
};
