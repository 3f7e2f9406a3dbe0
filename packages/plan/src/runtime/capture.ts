/**
 * Records every resource a Pulumi program registers under the SDK's mock runtime,
 * with what the engine would see: URN, parent, provider, resource options and the
 * inputs in wire form (secrets and unknowns kept as the protocol's markers).
 *
 * `MockResourceArgs` carries neither the resource options nor the secret markers,
 * so this wraps the mock monitor's `registerResource`, which receives the full
 * `RegisterResourceRequest`. The mock monitor also does not run stack transforms
 * (`pulumi.runtime.registerResourceTransform`); the engine does, so this does too.
 */
import type * as pulumiModule from "@pulumi/pulumi";
import * as path from "node:path";
import { aliasUrns } from "./aliases";

/** The protocol's markers, as the engine sends them to an analyzer. */
export const secretSigKey = "4dabf18193072939515e22adb298388d";
export const secretSig = "1b47061264138c4ac30d75fd1eb44270";
export const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface RemoteComponent {
    planned: boolean;
    /** Why its children are not planned. */
    reason?: string;
}

export interface ResourceOptionsSeen {
    protect: boolean;
    retainOnDelete: boolean;
    deleteBeforeReplace: boolean;
    ignoreChanges: string[];
    replaceOnChanges: string[];
    additionalSecretOutputs: string[];
    /** As the program gave them (URNs or specs); a recorded resource holds them as URNs, its parent's inherited ones included. */
    aliases: unknown[];
    dependsOn: string[];
}

export interface CapturedResource {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    /** True for `Resource.get` reads of existing resources. */
    read: boolean;
    parent?: string;
    /** Provider reference, `<provider urn>::<provider id>`. */
    provider?: string;
    /** The id, where a preview knows it: a resource read (`Resource.get`) or imported. */
    id?: string;
    /** For each input property that came from other resources, those resources (every one is among `options.dependsOn`). */
    propertyDependencies?: Record<string, string[]>;
    /**
     * A component a component provider builds (`remote: true`): whether the plan built
     * it too (its children are then planned), and if not, why.
     */
    remote?: RemoteComponent;
    options: ResourceOptionsSeen;
    /** Inputs in wire form: secrets as `{ [secretSigKey]: secretSig, value }`, unknowns as `unknownValue`. */
    inputs: Record<string, unknown>;
}

interface StackTransform {
    (args: {
        type: string;
        name: string;
        custom: boolean;
        props: Record<string, unknown>;
        opts: Record<string, unknown>;
    }): unknown;
}

/** Loads modules of the same @pulumi/pulumi copy that the program uses. */
export function pulumiInternals(pulumiDir: string) {
    const load = (p: string) => require(path.join(pulumiDir, p));
    return {
        pulumi: load("index.js") as typeof pulumiModule,
        mocks: load("runtime/mocks.js"),
        rpc: load("runtime/rpc.js"),
        settings: load("runtime/settings.js"),
        struct: require(require.resolve("google-protobuf/google/protobuf/struct_pb.js", { paths: [pulumiDir] })),
    };
}

function optionsOf(req: any): ResourceOptionsSeen {
    const list = (getter: string): string[] => (typeof req[getter] === "function" ? req[getter]() : []);
    return {
        protect: Boolean(req.getProtect?.()),
        retainOnDelete: Boolean(req.getRetainondelete?.()),
        deleteBeforeReplace: Boolean(req.getDeletebeforereplace?.()),
        ignoreChanges: list("getIgnorechangesList"),
        replaceOnChanges: list("getReplaceonchangesList"),
        additionalSecretOutputs: list("getAdditionalsecretoutputsList"),
        aliases: [
            ...list("getAliasurnsList"),
            ...(typeof req.getAliasesList === "function" ? req.getAliasesList().map((a: any) => a.toObject()) : []),
        ],
        dependsOn: list("getDependenciesList"),
    };
}

/**
 * The request's property dependencies: the SDK lists every input property, most
 * depending on nothing; only those that depend on a resource are kept (the JSON
 * writes the others back as the engine does).
 */
function propertyDependenciesOf(req: any): Record<string, string[]> | undefined {
    const map = req.getPropertydependenciesMap?.();
    if (!map) return undefined;
    const out: Record<string, string[]> = {};
    for (const [key, deps] of map.entries()) {
        const urns: string[] = deps.getUrnsList();
        if (urns.length > 0) out[key] = urns;
    }
    return Object.keys(out).length > 0 ? out : undefined;
}

export interface CaptureOptions {
    /**
     * Register the engine's default provider of a package for every custom resource
     * that names none, with the stack's configuration of that package as inputs.
     */
    defaultProviders?: { stack: string; project: string; config: Record<string, string>; secretKeys: string[] };
    /** Fills the names a provider would assign in Check (see auto-naming.ts). */
    autoName?: (type: string, urn: string, inputs: Record<string, unknown>) => Record<string, unknown>;
    /** Told of each resource as it is recorded: its inputs are final once registered. */
    onResource?: (resource: CapturedResource) => void;
    /**
     * Builds a remote component the way its component provider would, when the
     * provider can run here (component-providers.ts); otherwise says why not.
     */
    construct?: (req: any) => Promise<{ built: true; response: unknown } | { built: false; reason: string }>;
    /** Told of each method call on a remote component (`pulumi.runtime.call`): its provider answers it, so offline its result is unknown. */
    onMethodCall?: (token: string) => void;
}

/** Why a remote component's children are unknown when no one said how to build it. */
const notBuilt = "its component provider is a plugin the offline plan cannot run: the children it would create are unknown";

/**
 * The engine's default provider of a package (`pulumi:providers:aws::default_7_48_0`):
 * its inputs are the stack's `<package>:*` configuration, keys without the package,
 * values as the stack file spells them, plus the SDK's version.
 */
export function defaultProvider(
    pkg: string,
    version: string,
    stack: { stack: string; project: string; config: Record<string, string>; secretKeys: string[] },
): CapturedResource {
    const name = version ? `default_${version.replace(/[.\-+]/g, "_")}` : "default";
    const type = `pulumi:providers:${pkg}`;
    const secret = new Set(stack.secretKeys);
    const inputs: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(stack.config)) {
        if (!key.startsWith(`${pkg}:`)) continue;
        inputs[key.slice(pkg.length + 1)] = secret.has(key) ? { [secretSigKey]: secretSig, value } : value;
    }
    if (version) inputs.version = version;
    return {
        urn: `urn:pulumi:${stack.stack}::${stack.project}::${type}::${name}`,
        type,
        name,
        custom: true,
        read: false,
        options: optionsOf({}),
        inputs,
    };
}

/** A provider reference as the engine writes it: `<urn>::<id>`, the id unknown until the provider is created. */
export const providerReference = (providerUrn: string) => `${providerUrn}::${unknownValue}`;

/**
 * Wraps the mock monitor of the given @pulumi/pulumi copy. Returns the list that
 * fills as the program runs, and a hook for the mocks' `registerTransform`.
 */
export function installCapture(pulumiDir: string, captureOptions: CaptureOptions = {}) {
    const { mocks, rpc, struct } = pulumiInternals(pulumiDir);
    const resources: CapturedResource[] = [];
    /** Each recorded resource's aliases as URNs: its children inherit them. */
    const aliasesByUrn = new Map<string, string[]>();
    const recorded = (resource: CapturedResource) => {
        // The engine resolves aliases at registration, a parent's before its children's; a read has none.
        if (!resource.read) {
            resource.options.aliases = aliasUrns(resource, (resource.parent && aliasesByUrn.get(resource.parent)) || []);
            aliasesByUrn.set(resource.urn, resource.options.aliases as string[]);
        }
        resources.push(resource);
        captureOptions.onResource?.(resource);
    };
    const stackTransforms: StackTransform[] = [];
    const proto = mocks.MockMonitor.prototype;
    const originalRegister = proto.registerResource;
    const originalRead = proto.readResource;

    async function applyTransforms(req: any, transforms: StackTransform[]): Promise<void> {
        if (transforms.length === 0) return;
        let props = rpc.deserializeProperties(req.getObject(), true);
        let opts: Record<string, unknown> = {
            protect: req.getProtect?.(),
            ignoreChanges: req.getIgnorechangesList?.(),
            retainOnDelete: req.getRetainondelete?.(),
            deleteBeforeReplace: req.getDeletebeforereplace?.(),
            additionalSecretOutputs: req.getAdditionalsecretoutputsList?.(),
            replaceOnChanges: req.getReplaceonchangesList?.(),
        };
        for (const transform of transforms) {
            const result = (await transform({
                type: req.getType(),
                name: req.getName(),
                custom: req.getCustom(),
                props,
                opts,
            })) as { props?: Record<string, unknown>; opts?: Record<string, unknown> } | undefined;
            if (result) {
                props = result.props ?? props;
                opts = { ...opts, ...(result.opts ?? {}) };
            }
        }
        const serialized = await rpc.serializeProperties(`transform(${req.getName()})`, props, { keepOutputValues: false });
        req.setObject(struct.Struct.fromJavaScript(serialized));
        if (typeof opts.protect === "boolean") req.setProtect(opts.protect);
        if (Array.isArray(opts.ignoreChanges)) req.setIgnorechangesList(opts.ignoreChanges);
        if (typeof opts.retainOnDelete === "boolean") req.setRetainondelete?.(opts.retainOnDelete);
        if (typeof opts.deleteBeforeReplace === "boolean") req.setDeletebeforereplace?.(opts.deleteBeforeReplace);
    }

    const defaults = new Map<string, CapturedResource>();
    /** Remote components by URN: how each was built, and the provider that builds it. */
    const remotes = new Map<string, RemoteComponent & { provider?: string }>();
    /**
     * The provider reference of a custom resource or a remote component (its component
     * provider), registering the package's default provider when it names none.
     */
    function providerOf(req: any, custom: boolean): string | undefined {
        const type: string = req.getType();
        const given: string = req.getProvider();
        const stack = captureOptions.defaultProviders;
        const remote = !custom && Boolean(req.getRemote?.());
        if (given || (!custom && !remote) || !stack || type.startsWith("pulumi:providers:")) return given || undefined;
        const pkg = type.split(":")[0];
        const version: string = req.getVersion?.() ?? "";
        const key = `${pkg}@${version}`;
        if (!defaults.has(key)) {
            const provider = defaultProvider(pkg, version, stack);
            defaults.set(key, provider);
            recorded(provider);
        }
        return providerReference(defaults.get(key)!.urn);
    }

    function record(req: any, read: boolean, callback: (err: any, res: any) => void) {
        return (err: any, res: any) => {
            if (!err && res) {
                const urn: string = res.getUrn();
                const custom = read ? true : Boolean(req.getCustom());
                const type: string = req.getType();
                const built = remotes.get(urn);
                const provider = built?.provider ?? providerOf(req, custom);
                const id: string = read ? req.getId() : (req.getImportid?.() ?? "");
                const propertyDependencies = read ? undefined : propertyDependenciesOf(req);
                recorded({
                    urn,
                    type,
                    name: req.getName(),
                    custom,
                    read,
                    parent: req.getParent() || undefined,
                    provider,
                    ...(id ? { id } : {}),
                    ...(propertyDependencies ? { propertyDependencies } : {}),
                    ...(built ? { remote: built.reason ? { planned: false, reason: built.reason } : { planned: true } } : {}),
                    options: read ? { ...optionsOf({}), dependsOn: req.getDependenciesList?.() ?? [] } : optionsOf(req),
                    inputs: ((read ? req.getProperties() : req.getObject())?.toJavaScript() ?? {}) as Record<string, unknown>,
                });
            }
            callback(err, res);
        };
    }

    proto.registerResource = async function (this: any, req: any, callback: (err: any, res: any) => void) {
        try {
            const own = req
                .getTransformsList()
                .map((cb: any) => this.transformCallbacks.get(cb.getToken()))
                .filter((t: unknown) => t !== undefined);
            // The engine runs a resource's own transforms, then the stack's (parents first).
            await applyTransforms(req, [...own, ...stackTransforms]);
            if (!req.getCustom() && req.getRemote?.()) {
                const urn: string = this.newUrn(req.getParent(), req.getType(), req.getName());
                const provider = providerOf(req, false);
                // Known before the provider registers the component itself, so that registration is recorded as this one.
                remotes.set(urn, { planned: true, provider });
                const construction = captureOptions.construct ? await captureOptions.construct(req) : { built: false as const, reason: notBuilt };
                if (construction.built) {
                    callback(null, construction.response);
                    return;
                }
                remotes.set(urn, { planned: false, reason: construction.reason, provider });
            }
            if (captureOptions.autoName && req.getCustom() && !req.getType().startsWith("pulumi:providers:")) {
                // The provider's Check fills the name before the engine asks policies and before
                // the program sees the outputs; the mock echoes what it is given, so fill it here.
                const urn: string = this.newUrn(req.getParent(), req.getType(), req.getName());
                const inputs = (req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
                req.setObject(struct.Struct.fromJavaScript(captureOptions.autoName(req.getType(), urn, inputs)));
            }
        } catch (err) {
            callback(err, undefined);
            return;
        }
        return originalRegister.call(this, req, record(req, false, callback));
    };
    proto.readResource = function (this: any, req: any, callback: (err: any, res: any) => void) {
        return originalRead.call(this, req, record(req, true, callback));
    };
    // A method of a remote component runs in its provider; the mock monitor has none, so answer what a preview
    // cannot know yet: an unknown, which the SDK spreads to the whole result.
    const originalCall = proto.call;
    proto.call = function (this: any, req: any, callback: (err: any, res: any) => void) {
        captureOptions.onMethodCall?.(req.getTok());
        const response = new (require(path.join(pulumiDir, "proto/provider_pb.js")).CallResponse)();
        response.setReturn(struct.Struct.fromJavaScript({ result: unknownValue }));
        callback(null, response);
    };

    return {
        resources,
        registerTransform(transform: StackTransform) {
            stackTransforms.push(transform);
        },
        uninstall() {
            proto.registerResource = originalRegister;
            proto.readResource = originalRead;
            proto.call = originalCall;
        },
    };
}

/** Replaces protocol markers for display: secrets become "[secret]", unknowns "[unknown]". */
export function maskForDisplay(value: unknown): unknown {
    if (value === unknownValue) return "[unknown]";
    if (Array.isArray(value)) return value.map(maskForDisplay);
    if (value && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        if (obj[secretSigKey] === secretSig) return "[secret]";
        if (obj[secretSigKey] !== undefined) {
            // Assets, archives and resource references: keep their kind, never their content.
            return `[${String(obj[secretSigKey]).slice(0, 8)}]`;
        }
        return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, maskForDisplay(v)]));
    }
    return value;
}

/** Unwraps secret markers (as the policy SDK does for policies); unknowns stay `unknownValue`. */
export function unwrapSecrets(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(unwrapSecrets);
    if (value && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        if (obj[secretSigKey] === secretSig) return unwrapSecrets(obj.value);
        return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, unwrapSecrets(v)]));
    }
    return value;
}

/** True when the value, anywhere inside, holds a secret marker. */
export function containsSecret(value: unknown): boolean {
    if (Array.isArray(value)) return value.some(containsSecret);
    if (value && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        if (obj[secretSigKey] === secretSig) return true;
        return Object.values(obj).some(containsSecret);
    }
    return false;
}
