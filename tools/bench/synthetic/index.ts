import * as pulumi from "@pulumi/pulumi";
import { createKit } from "../../../components/aws/kit";

const services = new pulumi.Config().requireNumber("services");
const kit = createKit({ environment: "prod", name: "aws", region: "eu-west-1" });
const network = kit.network("bench-net", { environment: "prod", cidr: "10.200.0.0/16", zoneCount: 3 });
const cluster = kit.containerCluster("bench-ecs", { environment: "prod", network, instanceType: "", minNodes: 2, maxNodes: 50 });
for (let i = 0; i < services; i++) {
    kit.containerService(`svc-${i}`, {
        environment: "prod",
        cluster,
        network,
        image: `registry.example.com/svc-${i}@sha256:${"0".repeat(64)}`,
        cpu: 256,
        memory: 512,
        port: 8080,
        desiredCount: 2,
        minCount: 2,
        maxCount: 4,
    });
}
