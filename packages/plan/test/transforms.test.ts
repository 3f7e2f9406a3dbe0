/**
 * Transforms as `pulumi preview` runs them. The engine, not the SDK, applies them
 * (pkg/resource/deploy/source_eval.go, RegisterResource): for each registration it
 * runs the resource's own transforms, then its parent's, its grandparent's and so
 * on up the tree, then the stack's. So a component's transforms reach every
 * resource beneath it, however deep.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { useMockRuntime } from "./helpers/mock-runtime";

const runtime = useMockRuntime({ preview: true, project: "transforms", stack: "dev" });
beforeEach(() => runtime.reset());

const bucketType = "aws:s3/bucket:Bucket";

/** A transform that adds one tag to every bucket it sees. */
const tagging =
    (key: string, value: string): pulumi.ResourceTransform =>
    ({ type, props, opts }) =>
        type === bucketType ? { props: { ...props, tags: { ...(props.tags as Record<string, string> | undefined), [key]: value } }, opts } : undefined;

/** A transform that appends its label to a bucket's `order` tag: the tag then reads the order they ran in. */
const marking =
    (label: string): pulumi.ResourceTransform =>
    ({ type, name, props, opts }) => {
        if (type !== bucketType || !name.startsWith("ordered-")) return undefined;
        const tags = (props.tags ?? {}) as Record<string, string>;
        return { props: { ...props, tags: { ...tags, order: tags.order ? `${tags.order} ${label}` : label } }, opts };
    };

class Storage extends pulumi.ComponentResource {
    constructor(name: string, bucketTransforms: pulumi.ResourceTransform[], opts?: pulumi.ComponentResourceOptions) {
        super("fixture:index:Storage", name, {}, opts);
        new aws.s3.Bucket(`${name}-bucket`, {}, { parent: this, transforms: bucketTransforms });
        this.registerOutputs({});
    }
}

class Site extends pulumi.ComponentResource {
    constructor(name: string, bucketTransforms: pulumi.ResourceTransform[], opts?: pulumi.ComponentResourceOptions) {
        super("fixture:index:Site", name, {}, opts);
        new Storage(`${name}-storage`, bucketTransforms, { parent: this, transforms: [marking("parent")] });
        this.registerOutputs({});
    }
}

test("a component's transform reaches the bucket beneath it, which is registered with the tag it adds", async () => {
    new Storage("logs", [], { transforms: [tagging("owner", "platform")] });
    expect((await runtime.one(bucketType, "logs-bucket")).plain.tags).toEqual({ owner: "platform" });
});

test("and every resource further down: a bucket in a component within the component", async () => {
    new Site("docs", [], { transforms: [tagging("owner", "docs-team")] });
    expect((await runtime.one(bucketType, "docs-storage-bucket")).plain.tags).toEqual({ owner: "docs-team" });
});

test("a resource beside the component, not beneath it, is left as it is", async () => {
    new Storage("audit", [], { transforms: [tagging("owner", "platform")] });
    new aws.s3.Bucket("beside", {});
    expect((await runtime.one(bucketType, "beside")).plain.tags).toBeUndefined();
    expect((await runtime.one(bucketType, "audit-bucket")).plain.tags).toEqual({ owner: "platform" });
});

test("in the engine's order: the resource's own transforms, then its parent's, then its grandparent's, then the stack's", async () => {
    pulumi.runtime.registerResourceTransform(marking("stack"));
    new Site("ordered", [marking("own")], { transforms: [marking("grandparent")] });
    expect((await runtime.one(bucketType, "ordered-storage-bucket")).plain.tags).toEqual({ order: "own parent grandparent stack" });
});
