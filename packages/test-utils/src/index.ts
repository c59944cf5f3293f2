export {
  OpensslMissingError,
  RedisCommandTimeoutError,
  RedisReplyError,
  RedisServerMissingError,
  RedisServerStartError,
} from './errors.js';
export { type BlackholeOptions, type FaultProxy, startFaultProxy } from './fault-proxy.js';
export { getFreePort } from './free-port.js';
export { CLUSTER_SLOT_COUNT, crc16, keySlot } from './key-slot.js';
export {
  type RedisClusterHandle,
  type RedisClusterOptions,
  startRedisCluster,
} from './redis-cluster.js';
export {
  type RedisSentinelHandle,
  type RedisSentinelOptions,
  startRedisSentinel,
} from './redis-sentinel.js';
export {
  RedisServer,
  type RedisServerOptions,
  startRedisServer,
  startRedisServers,
  stopRedisServers,
  type TlsServerFiles,
} from './redis-server.js';
export {
  type RedisAddress,
  type RespCommandOptions,
  RespConnection,
  sendCommand,
} from './resp-connection.js';
export { type RespArgument, type RespReply, replyToText } from './resp-protocol.js';
export {
  createTestCertificates,
  type TestCertificateOptions,
  type TestCertificates,
} from './test-certificates.js';
