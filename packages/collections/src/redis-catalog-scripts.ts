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

// KEYS: names, col · ARGV: old name, new name, id, the row JSON under its new name (encoded by JS: cjson
// would round thresholds to 14 digits).
const renameCollection = `
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[3] then return 0 end
if redis.call('HSETNX', KEYS[1], ARGV[2], ARGV[3]) == 0 then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], ARGV[4])
return 1`;

// KEYS: names, col, subjects, screated, smeta, sfaces, faces, centroid, crops, migrations · ARGV: name, id
// UNLINK frees even a million-face hash in a background thread, so a drop never stalls the server.
const deleteCollection = `
if redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then redis.call('HDEL', KEYS[1], ARGV[1]) end
redis.call('UNLINK', KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9], KEYS[10])
return 1`;

// A face write made for vector space ARGV generation ('' = unguarded) is refused when the collection (KEYS[1],
// its row JSON) has moved to another generation or is fenced for a switch. Rows written before migrations
// carry neither field: generation 0, no fence.
const guard = `
local function guard_ok(colKey, generation)
  if generation == '' then return true end
  local raw = redis.call('GET', colKey)
  if not raw then return true end
  local row = cjson.decode(raw)
  local g = row.generation
  if g == nil or g == cjson.null then g = 0 end
  if tonumber(g) ~= tonumber(generation) then return false end
  return row.fence == nil or row.fence == cjson.null
end`;

// The centroid hash holds field 'n' (vectors summed) and one field per dimension ('0', '1', ...), changed
// with HINCRBYFLOAT (long double on the server) from a comma-separated vector.
const centroidAdd = `
local function centroid_add(key, csv, sign, count)
  local i = 0
  for v in string.gmatch(csv, '[^,]+') do
    redis.call('HINCRBYFLOAT', key, tostring(i), sign * tonumber(v))
    i = i + 1
  end
  redis.call('HINCRBY', key, 'n', sign * count)
end`;

// KEYS: col, subjects, screated, smeta, sfaces, faces, centroid, crops
// ARGV: subject, face id, face JSON, metadata JSON or '', created_at, vector csv, crop bytes or '', guard generation or ''
// Returns the stored face (the earlier one when the id existed), nil when the collection is gone, or the
// status reply SWITCHING when the guard refuses the write.
const addFace = `${centroidAdd}${guard}
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
if not guard_ok(KEYS[1], ARGV[8]) then return {err = 'SWITCHING'} end
if redis.call('ZADD', KEYS[2], 'NX', 0, ARGV[1]) == 1 then redis.call('HSET', KEYS[3], ARGV[1], ARGV[5]) end
if ARGV[4] ~= '' then redis.call('HSET', KEYS[4], ARGV[1], ARGV[4]) end
local existing = redis.call('HGET', KEYS[6], ARGV[2])
if existing then return existing end
redis.call('HSET', KEYS[6], ARGV[2], ARGV[3])
local list = redis.call('HGET', KEYS[5], ARGV[1])
redis.call('HSET', KEYS[5], ARGV[1], list and (list .. ' ' .. ARGV[2]) or ARGV[2])
centroid_add(KEYS[7], ARGV[6], 1, 1)
if ARGV[7] ~= '' then redis.call('HSET', KEYS[8], ARGV[2], ARGV[7]) end
return ARGV[3]`;

// KEYS: faces, sfaces, centroid, col, crops · ARGV: face id, vector csv or '', guard generation or ''
const deleteFace = `${centroidAdd}${guard}
local row = redis.call('HGET', KEYS[1], ARGV[1])
if not row then return 0 end
if not guard_ok(KEYS[4], ARGV[3]) then return {err = 'SWITCHING'} end
local subject = cjson.decode(row).subjectId
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[5], ARGV[1])
local kept = {}
for id in string.gmatch(redis.call('HGET', KEYS[2], subject) or '', '%S+') do
  if id ~= ARGV[1] then kept[#kept + 1] = id end
end
redis.call('HSET', KEYS[2], subject, table.concat(kept, ' '))
if ARGV[2] ~= '' then centroid_add(KEYS[3], ARGV[2], -1, 1) end
return 1`;

// KEYS: subjects, screated, smeta, sfaces, faces, centroid, col, crops · ARGV: subject, sum csv or '', count, guard generation or ''
const deleteSubject = `${centroidAdd}${guard}
if redis.call('ZSCORE', KEYS[1], ARGV[1]) == false then return 0 end
if not guard_ok(KEYS[7], ARGV[4]) then return {err = 'SWITCHING'} end
redis.call('ZREM', KEYS[1], ARGV[1])
for id in string.gmatch(redis.call('HGET', KEYS[4], ARGV[1]) or '', '%S+') do
  redis.call('HDEL', KEYS[5], id)
  redis.call('HDEL', KEYS[8], id)
end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[4], ARGV[1])
if ARGV[2] ~= '' then centroid_add(KEYS[6], ARGV[2], -1, tonumber(ARGV[3])) end
return 1`;

// Migrations. Records live in migrations:<collection> (id → JSON); migrations:active holds "<collection> <id>"
// of every active one, so a restarted service finds them without scanning every collection.
const ACTIVE = `local function is_active(state) return state == 'running' or state == 'ready' or state == 'committing' end`;

// KEYS: col, migrations, active · ARGV: id, record JSON, collection id
const createMigration = `${ACTIVE}
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
for _, raw in ipairs(redis.call('HVALS', KEYS[2])) do
  if is_active(cjson.decode(raw).state) then return 0 end
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[3], ARGV[3] .. ' ' .. ARGV[1])
return 1`;

// KEYS: migrations, active · ARGV: id, record JSON, expected states (comma separated), collection id
const updateMigration = `${ACTIVE}
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return 0 end
local current = cjson.decode(raw).state
local expected = false
for s in string.gmatch(ARGV[3], '[^,]+') do if s == current then expected = true end end
if not expected then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if is_active(cjson.decode(ARGV[2]).state) then
  redis.call('SADD', KEYS[2], ARGV[4] .. ' ' .. ARGV[1])
else
  redis.call('SREM', KEYS[2], ARGV[4] .. ' ' .. ARGV[1])
end
return 1`;

// KEYS: key · ARGV: expected value, new value. A row changed by JS, written only if nobody changed it meanwhile.
const casString = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
return 1`;

// KEYS: col, centroid, migrations, active
// ARGV: expected row JSON, switched row JSON, migration id, committed record JSON, collection id, count or '', sum values...
const switchEmbedder = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local raw = redis.call('HGET', KEYS[3], ARGV[3])
if not raw or cjson.decode(raw).state ~= 'committing' then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('DEL', KEYS[2])
if ARGV[6] ~= '' then
  redis.call('HSET', KEYS[2], 'n', ARGV[6])
  for i = 7, #ARGV do redis.call('HSET', KEYS[2], tostring(i - 7), ARGV[i]) end
end
redis.call('HSET', KEYS[3], ARGV[3], ARGV[4])
redis.call('SREM', KEYS[4], ARGV[5] .. ' ' .. ARGV[3])
return 1`;

export interface CatalogScripts {
  catalogCreateCollection(names: string, col: string, name: string, id: string, row: string): Promise<number>;
  catalogRenameCollection(...args: [names: string, col: string, oldName: string, newName: string, id: string, row: string]): Promise<number>;
  catalogDeleteCollection(
    ...args: [
      names: string, col: string, subjects: string, created: string, meta: string, sfaces: string, faces: string, centroid: string, crops: string, migrations: string,
      name: string, id: string,
    ]
  ): Promise<number>;
  catalogAddFace(
    ...args: [
      col: string, subjects: string, created: string, meta: string, sfaces: string, faces: string, centroid: string, crops: string,
      subject: string, faceId: string, face: string, metadata: string, createdAt: string, vector: string, crop: Buffer | string, guard: string,
    ]
  ): Promise<string | null>;
  catalogDeleteFace(...args: [faces: string, sfaces: string, centroid: string, col: string, crops: string, faceId: string, vector: string, guard: string]): Promise<number>;
  catalogCreateMigration(col: string, migrations: string, active: string, id: string, record: string, collectionId: string): Promise<number>;
  catalogUpdateMigration(...args: [migrations: string, active: string, id: string, record: string, expected: string, collectionId: string]): Promise<number>;
  catalogCasString(key: string, expected: string, next: string): Promise<number>;
  catalogSwitchEmbedder(...args: [col: string, centroid: string, migrations: string, active: string, ...argv: string[]]): Promise<number>;
  catalogDeleteSubject(
    ...args: [subjects: string, created: string, meta: string, sfaces: string, faces: string, centroid: string, col: string, crops: string, subject: string, sum: string, count: string, guard: string]
  ): Promise<number>;
}

export function catalogScripts(redis: Redis): Redis & CatalogScripts {
  redis.defineCommand('catalogCreateCollection', { numberOfKeys: 2, lua: createCollection });
  redis.defineCommand('catalogRenameCollection', { numberOfKeys: 2, lua: renameCollection });
  redis.defineCommand('catalogDeleteCollection', { numberOfKeys: 10, lua: deleteCollection });
  redis.defineCommand('catalogAddFace', { numberOfKeys: 8, lua: addFace });
  redis.defineCommand('catalogDeleteFace', { numberOfKeys: 5, lua: deleteFace });
  redis.defineCommand('catalogDeleteSubject', { numberOfKeys: 8, lua: deleteSubject });
  redis.defineCommand('catalogCreateMigration', { numberOfKeys: 3, lua: createMigration });
  redis.defineCommand('catalogUpdateMigration', { numberOfKeys: 2, lua: updateMigration });
  redis.defineCommand('catalogCasString', { numberOfKeys: 1, lua: casString });
  redis.defineCommand('catalogSwitchEmbedder', { numberOfKeys: 4, lua: switchEmbedder });
  return redis as Redis & CatalogScripts;
}
