import type { Redis } from 'ioredis';

/**
 * The RedisCatalog's multi-key changes. Each runs atomically on the server, which is what the SQLite
 * catalog gets from its transactions. Metadata and face rows are stored as the JSON strings JS wrote and
 * never re-encoded here (Lua's cjson would turn `[]` into `{}`).
 */

// KEYS: names, col · ARGV: name, id, row JSON
const createCollection = `
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('SET', KEYS[2], ARGV[3])
return 1`;

// KEYS: names, col, subjects, screated, smeta, sfaces, faces · ARGV: name, id
// UNLINK frees even a million-face hash in a background thread, so a drop never stalls the server.
const deleteCollection = `
if redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then redis.call('HDEL', KEYS[1], ARGV[1]) end
redis.call('UNLINK', KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7])
return 1`;

// KEYS: col, subjects, screated, smeta, sfaces, faces · ARGV: subject, face id, face JSON, metadata JSON or '', created_at
// Returns the stored face (the earlier one when the id existed), or nil when the collection is gone.
const addFace = `
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
if redis.call('ZADD', KEYS[2], 'NX', 0, ARGV[1]) == 1 then redis.call('HSET', KEYS[3], ARGV[1], ARGV[5]) end
if ARGV[4] ~= '' then redis.call('HSET', KEYS[4], ARGV[1], ARGV[4]) end
local existing = redis.call('HGET', KEYS[6], ARGV[2])
if existing then return existing end
redis.call('HSET', KEYS[6], ARGV[2], ARGV[3])
local list = redis.call('HGET', KEYS[5], ARGV[1])
redis.call('HSET', KEYS[5], ARGV[1], list and (list .. ' ' .. ARGV[2]) or ARGV[2])
return ARGV[3]`;

// KEYS: faces, sfaces · ARGV: face id
const deleteFace = `
local row = redis.call('HGET', KEYS[1], ARGV[1])
if not row then return 0 end
local subject = cjson.decode(row).subjectId
redis.call('HDEL', KEYS[1], ARGV[1])
local kept = {}
for id in string.gmatch(redis.call('HGET', KEYS[2], subject) or '', '%S+') do
  if id ~= ARGV[1] then kept[#kept + 1] = id end
end
redis.call('HSET', KEYS[2], subject, table.concat(kept, ' '))
return 1`;

// KEYS: subjects, screated, smeta, sfaces, faces · ARGV: subject
const deleteSubject = `
if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then return 0 end
for id in string.gmatch(redis.call('HGET', KEYS[4], ARGV[1]) or '', '%S+') do redis.call('HDEL', KEYS[5], id) end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[4], ARGV[1])
return 1`;

export interface CatalogScripts {
  catalogCreateCollection(names: string, col: string, name: string, id: string, row: string): Promise<number>;
  catalogDeleteCollection(...args: [names: string, col: string, subjects: string, created: string, meta: string, sfaces: string, faces: string, name: string, id: string]): Promise<number>;
  catalogAddFace(
    ...args: [col: string, subjects: string, created: string, meta: string, sfaces: string, faces: string, subject: string, faceId: string, face: string, metadata: string, createdAt: string]
  ): Promise<string | null>;
  catalogDeleteFace(faces: string, sfaces: string, faceId: string): Promise<number>;
  catalogDeleteSubject(subjects: string, created: string, meta: string, sfaces: string, faces: string, subject: string): Promise<number>;
}

export function catalogScripts(redis: Redis): Redis & CatalogScripts {
  redis.defineCommand('catalogCreateCollection', { numberOfKeys: 2, lua: createCollection });
  redis.defineCommand('catalogDeleteCollection', { numberOfKeys: 7, lua: deleteCollection });
  redis.defineCommand('catalogAddFace', { numberOfKeys: 6, lua: addFace });
  redis.defineCommand('catalogDeleteFace', { numberOfKeys: 2, lua: deleteFace });
  redis.defineCommand('catalogDeleteSubject', { numberOfKeys: 5, lua: deleteSubject });
  return redis as Redis & CatalogScripts;
}
