/**
 * What the plan treats as stateful: types whose delete or replacement loses data
 * the program cannot recreate, and the properties that force their replacement.
 * The review's one-way doors read them from here alone.
 */
/** Resource types that hold data or identity that a delete or replacement destroys. */
export const statefulTypes: Record<string, string> = {
    "aws:efs/fileSystem:FileSystem": "file system",
    "aws:fsx/lustreFileSystem:LustreFileSystem": "file system",
    "aws:ebs/volume:Volume": "volume",
    "aws:kms/key:Key": "key",
    "aws:ssm/parameter:Parameter": "secret",
    "aws:secretsmanager/secret:Secret": "secret",
    "aws:rds/instance:Instance": "database",
    "aws:rds/cluster:Cluster": "database",
    "aws:dynamodb/table:Table": "database",
    "aws:s3/bucket:Bucket": "bucket",
    "aws:s3/bucketV2:BucketV2": "bucket",
    "aws:ecs/cluster:Cluster": "cluster",
    "aws:eks/cluster:Cluster": "cluster",
    "gcp:filestore/instance:Instance": "file system",
    "gcp:compute/disk:Disk": "volume",
    "gcp:compute/regionDisk:RegionDisk": "volume",
    "gcp:secretmanager/secret:Secret": "secret",
    "gcp:kms/keyRing:KeyRing": "key",
    "gcp:kms/cryptoKey:CryptoKey": "key",
    "gcp:container/cluster:Cluster": "cluster",
    "gcp:sql/databaseInstance:DatabaseInstance": "database",
    "gcp:storage/bucket:Bucket": "bucket",
    "alicloud:nas/fileSystem:FileSystem": "file system",
    "alicloud:ecs/ecsDisk:EcsDisk": "volume",
    "alicloud:kms/secret:Secret": "secret",
    "alicloud:kms/key:Key": "key",
    "alicloud:oos/secretParameter:SecretParameter": "secret",
    "alicloud:cs/managedKubernetes:ManagedKubernetes": "cluster",
    "alicloud:rds/instance:Instance": "database",
    "alicloud:oss/bucket:Bucket": "bucket",
    "kubernetes:core/v1:PersistentVolumeClaim": "volume",
    "kubernetes:core/v1:PersistentVolume": "volume",
    "kubernetes:core/v1:Secret": "secret",
};

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
    "aws:ssm/parameter:Parameter": ["name", "dataType"],
    "aws:secretsmanager/secret:Secret": ["name", "namePrefix"],
    "aws:rds/instance:Instance": ["identifier", "engine", "kmsKeyId", "storageEncrypted", "username", "dbName", "availabilityZone"],
    "aws:rds/cluster:Cluster": ["clusterIdentifier", "engine", "kmsKeyId", "storageEncrypted", "masterUsername", "databaseName"],
    "aws:dynamodb/table:Table": ["name"],
    "aws:s3/bucket:Bucket": ["bucket", "bucketPrefix"],
    "aws:s3/bucketV2:BucketV2": ["bucket", "bucketPrefix"],
    "aws:ecs/cluster:Cluster": ["name"],
    "aws:eks/cluster:Cluster": ["name", "encryptionConfig"],
    "gcp:filestore/instance:Instance": ["name", "location", "zone", "tier", "networks", "kmsKeyName", "project"],
    "gcp:compute/disk:Disk": ["name", "zone", "type", "image", "snapshot", "diskEncryptionKey", "project"],
    "gcp:secretmanager/secret:Secret": ["secretId", "replication", "project"],
    "gcp:kms/keyRing:KeyRing": ["name", "location", "project"],
    "gcp:kms/cryptoKey:CryptoKey": ["name", "keyRing", "purpose"],
    "gcp:container/cluster:Cluster": ["name", "location", "network", "subnetwork", "project", "privateClusterConfig"],
    "gcp:sql/databaseInstance:DatabaseInstance": ["name", "region", "project", "encryptionKeyName"],
    "gcp:storage/bucket:Bucket": ["name", "location", "project"],
    "alicloud:nas/fileSystem:FileSystem": ["protocolType", "storageType", "encryptType", "kmsKeyId", "zoneId", "fileSystemType"],
    "alicloud:ecs/ecsDisk:EcsDisk": ["zoneId", "encrypted", "kmsKeyId", "snapshotId"],
    "alicloud:kms/secret:Secret": ["secretName", "encryptionKeyId"],
    "alicloud:kms/key:Key": ["keySpec", "keyUsage", "protectionLevel", "origin"],
    "alicloud:oos/secretParameter:SecretParameter": ["secretParameterName", "type"],
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
    "kubernetes:core/v1:Secret": [...kubernetesIdentity, "type"],
};
