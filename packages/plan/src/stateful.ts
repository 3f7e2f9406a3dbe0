/**
 * The properties that force a stateful resource's replacement. Which types are
 * stateful is the project's to say (its `statefulHolds` option), from whatever
 * catalog it keeps; the review's one-way doors read both.
 */

/**
 * What a resource of the type holds that a delete or replacement destroys ("holds
 * the files written to it"); undefined for a type that holds nothing the program
 * cannot recreate.
 */
export type StatefulHolds = (type: string) => string | undefined;

/** Kubernetes objects are replaced when their identity changes. */
const kubernetesIdentity = ["metadata.name", "metadata.namespace"];

/**
 * Properties whose change forces a replacement, per stateful type: a small
 * table from the providers' schemas (ForceNew), not a complete copy of them.
 */
export const replaceOnChange: Record<string, string[]> = {
    "aws:efs/fileSystem:FileSystem": ["encrypted", "kmsKeyId", "performanceMode", "availabilityZoneName", "creationToken"],
    "aws:ebs/volume:Volume": ["availabilityZone", "encrypted", "kmsKeyId", "snapshotId"],
    "aws:kms/key:Key": ["customerMasterKeySpec", "keyUsage", "multiRegion", "customKeyStoreId", "xksKeyId"],
    "aws:rds/instance:Instance": ["identifier", "engine", "kmsKeyId", "storageEncrypted", "username", "dbName", "availabilityZone"],
    "aws:rds/cluster:Cluster": ["clusterIdentifier", "engine", "kmsKeyId", "storageEncrypted", "masterUsername", "databaseName"],
    "aws:dynamodb/table:Table": ["name"],
    "aws:s3/bucket:Bucket": ["bucket", "bucketPrefix"],
    "aws:s3/bucketV2:BucketV2": ["bucket", "bucketPrefix"],
    "aws:ecs/cluster:Cluster": ["name"],
    "aws:eks/cluster:Cluster": ["name", "encryptionConfig"],
    "gcp:filestore/instance:Instance": ["name", "location", "zone", "tier", "networks", "kmsKeyName", "project"],
    "gcp:compute/disk:Disk": ["name", "zone", "type", "image", "snapshot", "diskEncryptionKey", "project"],
    "gcp:kms/keyRing:KeyRing": ["name", "location", "project"],
    "gcp:kms/cryptoKey:CryptoKey": ["name", "keyRing", "purpose"],
    "gcp:container/cluster:Cluster": ["name", "location", "network", "subnetwork", "project", "privateClusterConfig"],
    "gcp:sql/databaseInstance:DatabaseInstance": ["name", "region", "project", "encryptionKeyName"],
    "gcp:storage/bucket:Bucket": ["name", "location", "project"],
    "alicloud:nas/fileSystem:FileSystem": ["protocolType", "storageType", "encryptType", "kmsKeyId", "zoneId", "fileSystemType"],
    "alicloud:ecs/ecsDisk:EcsDisk": ["zoneId", "encrypted", "kmsKeyId", "snapshotId"],
    "alicloud:kms/key:Key": ["keySpec", "keyUsage", "protectionLevel", "origin"],
    "alicloud:cs/managedKubernetes:ManagedKubernetes": ["podCidr", "serviceCidr", "encryptionProviderKey"],
    "alicloud:rds/instance:Instance": ["engine", "zoneId"],
    "alicloud:oss/bucket:Bucket": ["bucket"],
    "kubernetes:core/v1:PersistentVolumeClaim": [
        ...kubernetesIdentity,
        "spec.accessModes",
        "spec.storageClassName",
        "spec.volumeName",
        "spec.volumeMode",
        "spec.selector",
    ],
    "kubernetes:core/v1:PersistentVolume": [...kubernetesIdentity, "spec.storageClassName", "spec.volumeMode"],
};
