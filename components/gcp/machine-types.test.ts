import { gcp } from "./cloud";
import { machineCapacity, machineTypes } from "./machine-types";

test("every size's type is offered", () => {
    for (const type of Object.values(gcp.sizes)) expect(machineTypes).toContain(type);
});

test("capacity: millicores, less what GKE keeps for the system", () => {
    // e2-standard-4: 4 vCPU, 16 GiB; GKE keeps 80m CPU and 1024 + 819.2 + 819.2 MiB, plus a 100 MiB eviction threshold.
    expect(machineCapacity("e2-standard-4")).toEqual({ cpu: 3920, memoryMiB: 13621 });
});

test("a type not offered has no capacity", () => {
    expect(machineCapacity("m1-megamem-96")).toBeUndefined();
});
