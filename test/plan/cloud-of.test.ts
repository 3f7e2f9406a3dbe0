import { cloudOf } from "../../tools/plan/cloud-of";

describe("the cloud of a planned resource", () => {
    test("is its package's for a resource outside our components", () => {
        expect(cloudOf("aws:efs/fileSystem:FileSystem")).toBe("aws");
        expect(cloudOf("kubernetes:apps/v1:Deployment")).toBe("onprem");
        expect(cloudOf("pulumi:providers:gcp")).toBe("gcp");
    });
    test("is the nearest component's cloud: Kubernetes objects on GKE belong to GCP", () => {
        const urn = "urn:pulumi:analytics-prod::multicloud::pulumi:pulumi:Stack$multicloud:gcp:ConverterGroup$kubernetes:apps/v1:StatefulSet::cdc";
        expect(cloudOf("kubernetes:apps/v1:StatefulSet", urn)).toBe("gcp");
    });
    test("maps the private cloud's kit to onprem", () => {
        const urn = "urn:pulumi:partner-prod::multicloud::pulumi:pulumi:Stack$multicloud:kubernetes:VmGroup$kubernetes:apps/v1:Deployment::gw";
        expect(cloudOf("kubernetes:apps/v1:Deployment", urn)).toBe("onprem");
    });
});
