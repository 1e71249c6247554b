/**
 * drizzle-orm schema: the typed view of the tables that `migrations/*.sql` create.
 * The SQL files are the source of truth for DDL (PostGIS types, GiST indexes, generated columns);
 * this file gives repositories typed column names for CRUD. `tests/integration/schema-drift.test.ts`
 * fails when the two disagree.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  customType,
  doublePrecision,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  serial,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { SCOPE_TYPES } from '../auth/principal.js';

/** A PostGIS geometry column; values travel as EWKB hex (read) or are built in SQL (write). */
const geometry = (name: string, type: 'MultiPolygon' | 'Point' | 'LineString') =>
  customType<{ data: string; driverData: string }>({
    dataType: () => `geometry(${type}, 4326)`,
  })(name);

/** 区/县 district (6-digit code); its outline may be unknown (a seeded street knows only its code). */
export const districts = pgTable('districts', {
  id: serial('id').primaryKey(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  geom: geometry('geom', 'MultiPolygon'),
});

export const streets = pgTable('streets', {
  id: serial('id').primaryKey(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  geom: geometry('geom', 'MultiPolygon'),
  districtId: integer('district_id').references(() => districts.id),
});

export const communities = pgTable('communities', {
  id: serial('id').primaryKey(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  shortName: text('short_name').notNull(),
  streetId: integer('street_id').notNull().references(() => streets.id),
  geom: geometry('geom', 'MultiPolygon').notNull(),
});

export const compounds = pgTable('compounds', {
  id: serial('id').primaryKey(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  communityId: integer('community_id').notNull().references(() => communities.id),
  gated: boolean('gated').notNull().default(true),
  builtYear: integer('built_year'),
  geom: geometry('geom', 'MultiPolygon').notNull(),
});

export const buildingUses = ['residential', 'school', 'market', 'office', 'hospital', 'commercial', 'public'] as const;

export const buildings = pgTable('buildings', {
  id: serial('id').primaryKey(),
  code: text('code').notNull().unique(),
  communityId: integer('community_id').notNull().references(() => communities.id),
  compoundId: integer('compound_id').references(() => compounds.id),
  number: text('number').notNull(),
  name: text('name'),
  use: text('use', { enum: buildingUses }).notNull().default('residential'),
  floors: integer('floors').notNull(),
  units: integer('units').notNull(),
  households: integer('households').notNull(),
  residents: integer('residents').notNull(),
  builtYear: integer('built_year'),
  /** Party tallies of the building's households, kept by triggers on households (migration 0010). */
  partyMembers: integer('party_members').notNull().default(0),
  partyHouseholds: integer('party_households').notNull().default(0),
  partyCenters: integer('party_centers').notNull().default(0),
  /** Load tallies (migration 0025): 独居老人 and 出租户 households (triggers), street-front shops (data). */
  elderlyAlone: integer('elderly_alone').notNull().default(0),
  rentedUnits: integer('rented_units').notNull().default(0),
  shops: integer('shops').notNull().default(0),
  geom: geometry('geom', 'MultiPolygon').notNull(),
  centroid: geometry('centroid', 'Point').generatedAlwaysAs(sql`ST_Centroid(geom)`),
});

export const households = pgTable('households', {
  id: serial('id').primaryKey(),
  buildingId: integer('building_id').notNull().references(() => buildings.id, { onDelete: 'cascade' }),
  unit: integer('unit').notNull(),
  room: text('room').notNull(),
  size: integer('size').notNull(),
  partyMembers: integer('party_members').notNull().default(0),
  isPartyCenter: boolean('is_party_center').notNull().default(false),
  tags: text('tags').array().notNull().default(sql`'{}'`),
  headName: text('head_name'),
  headPhone: text('head_phone'),
});

export const planStatuses = ['draft', 'published', 'archived'] as const;

export const gridPlans = pgTable('grid_plans', {
  id: serial('id').primaryKey(),
  name: text('name').notNull(),
  status: text('status', { enum: planStatuses }).notNull(),
  version: integer('version').notNull().default(1),
  streetId: integer('street_id').notNull().references(() => streets.id),
  communityId: integer('community_id').references(() => communities.id),
  basedOn: integer('based_on'),
  publishReason: text('publish_reason'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  publishedAt: timestamp('published_at', { withTimezone: true }),
});

export const grids = pgTable('grids', {
  id: serial('id').primaryKey(),
  planId: integer('plan_id').notNull().references(() => gridPlans.id, { onDelete: 'cascade' }),
  communityId: integer('community_id').notNull().references(() => communities.id),
  code: text('code').notNull(),
  name: text('name').notNull(),
  kind: text('kind', { enum: ['basic', 'dedicated'] }).notNull(),
  dedicatedType: text('dedicated_type'),
  locked: boolean('locked').notNull().default(false),
  geom: geometry('geom', 'MultiPolygon').notNull(),
});

export const gridWorkers = pgTable('grid_workers', {
  id: serial('id').primaryKey(),
  gridId: integer('grid_id').notNull().references(() => grids.id, { onDelete: 'cascade' }),
  name: text('name').notNull(),
  phone: text('phone'),
  role: text('role', { enum: ['full_time', 'auxiliary'] }).notNull(),
});

export const buildingGrid = pgTable(
  'building_grid',
  {
    planId: integer('plan_id').notNull().references(() => gridPlans.id, { onDelete: 'cascade' }),
    buildingId: integer('building_id').notNull().references(() => buildings.id, { onDelete: 'cascade' }),
    gridId: integer('grid_id').notNull().references(() => grids.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.planId, t.buildingId] })],
);

export const lifeCircleLevels = ['5min', '10min', '15min', 'block'] as const;

export const facilityCategories = pgTable('facility_categories', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  nameEn: text('name_en').notNull(),
  level: text('level', { enum: lifeCircleLevels }).notNull(),
  color: text('color').notNull(),
  sort: integer('sort').notNull().default(0),
});

export const facilities = pgTable('facilities', {
  id: serial('id').primaryKey(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  category: text('category').notNull().references(() => facilityCategories.code),
  communityId: integer('community_id').references(() => communities.id),
  address: text('address'),
  geom: geometry('geom', 'Point').notNull(),
});

export const walkNodes = pgTable('walk_nodes', {
  id: integer('id').primaryKey(),
  geom: geometry('geom', 'Point').notNull(),
});

export const walkEdgeKinds = ['arterial', 'secondary', 'local', 'footway', 'path', 'gate'] as const;

export const walkEdges = pgTable('walk_edges', {
  id: serial('id').primaryKey(),
  source: integer('source').notNull().references(() => walkNodes.id),
  target: integer('target').notNull().references(() => walkNodes.id),
  kind: text('kind', { enum: walkEdgeKinds }).notNull(),
  name: text('name'),
  lengthM: doublePrecision('length_m').notNull(),
  geom: geometry('geom', 'LineString').notNull(),
});

// --- accounts and audit (migration 0002) ---

export const users = pgTable('users', {
  id: serial('id').primaryKey(),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull().default(''),
  passwordHash: text('password_hash').notNull(),
  disabled: boolean('disabled').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }).notNull().defaultNow(),
  /** Migration 0014: a printed (generated) password must be changed at the first sign-in. */
  mustChangePassword: boolean('must_change_password').notNull().default(false),
});

export const userRoles = pgTable('user_roles', {
  id: serial('id').primaryKey(),
  userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  role: text('role', { enum: ['admin', 'planner', 'grid_worker', 'viewer'] }).notNull(),
  scopeType: text('scope_type', { enum: SCOPE_TYPES }).notNull(),
  scopeCode: text('scope_code').notNull(),
});

export const kioskTokens = pgTable('kiosk_tokens', {
  id: serial('id').primaryKey(),
  tokenHash: text('token_hash').notNull().unique(),
  label: text('label').notNull(),
  createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  /** Migration 0019: the part of the territory the wall screen shows; null = the whole deployment. */
  scopeType: text('scope_type', { enum: SCOPE_TYPES }),
  scopeCode: text('scope_code'),
});

export const sessions = pgTable('sessions', {
  id: text('id').primaryKey(),
  userId: integer('user_id').references(() => users.id, { onDelete: 'cascade' }),
  kioskId: integer('kiosk_id').references(() => kioskTokens.id, { onDelete: 'cascade' }),
  csrfToken: text('csrf_token').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});

export const auditLog = pgTable('audit_log', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  actor: text('actor').notNull(),
  userId: integer('user_id'),
  action: text('action').notNull(),
  targetType: text('target_type'),
  targetId: text('target_id'),
  detail: jsonb('detail').notNull().default({}),
  ip: text('ip'),
});

/** Login throttling per (account, address) and per address on unknown names (migration 0014). */
export const loginThrottle = pgTable(
  'login_throttle',
  {
    scope: text('scope', { enum: ['account', 'address'] }).notNull(),
    username: text('username').notNull(),
    address: text('address').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAt: timestamp('next_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.username, t.address] })],
);

// --- plan editing (migration 0003) ---

export const planEdits = pgTable('plan_edits', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  planId: integer('plan_id').notNull().references(() => gridPlans.id, { onDelete: 'cascade' }),
  version: integer('version').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  actor: text('actor').notNull(),
  ops: jsonb('ops').notNull(),
});

// --- resident requests (migration 0007, issue #9) ---

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

export const requestStatuses = ['reported', 'dispatched', 'accepted', 'resolved', 'rated', 'closed'] as const;

export const requests = pgTable('requests', {
  id: serial('id').primaryKey(),
  category: text('category').notNull(),
  description: text('description').notNull(),
  channel: text('channel', { enum: ['grid_worker', 'resident', 'hotline_12345', 'property'] }).notNull(),
  geom: geometry('geom', 'Point').notNull(),
  buildingId: integer('building_id').references(() => buildings.id, { onDelete: 'set null' }),
  communityId: integer('community_id').references(() => communities.id, { onDelete: 'cascade' }),
  /** Migration 0019: the request's street, also for one outside every community (issue #15). */
  streetId: integer('street_id').references(() => streets.id, { onDelete: 'cascade' }),
  gridCode: text('grid_code'),
  status: text('status', { enum: requestStatuses }).notNull().default('reported'),
  level: text('level', { enum: ['grid', 'community', 'street'] }).notNull().default('grid'),
  assigneeKind: text('assignee_kind', { enum: ['grid_worker', 'department'] }),
  assignee: text('assignee'),
  rating: smallint('rating'),
  reporterName: text('reporter_name'),
  reporterPhone: text('reporter_phone'),
  photo: bytea('photo'),
  photoType: text('photo_type', { enum: ['image/jpeg', 'image/png'] }),
  reportedBy: text('reported_by').notNull(),
  reportedAt: timestamp('reported_at', { withTimezone: true }).notNull().defaultNow(),
  dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
  resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  closedAt: timestamp('closed_at', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  /** Migration 0023 (issue #18): resident reports through a QR link, spam marks, the resolve photo. */
  trackingHash: text('tracking_hash').unique(),
  reportSubject: text('report_subject'),
  spam: boolean('spam').notNull().default(false),
  ratingComment: text('rating_comment'),
  resolvePhoto: bytea('resolve_photo'),
  resolvePhotoType: text('resolve_photo_type', { enum: ['image/jpeg', 'image/png'] }),
});

// --- resident reports and idempotent writes (migration 0023, issue #18) ---

export const serverSecrets = pgTable('server_secrets', {
  name: text('name').primaryKey(),
  secret: bytea('secret').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const reportRate = pgTable(
  'report_rate',
  {
    key: text('key').notNull(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    hits: integer('hits').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] })],
);

export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    caller: text('caller').notNull(),
    key: text('key').notNull(),
    route: text('route').notNull(),
    requestHash: text('request_hash').notNull(),
    status: integer('status'),
    body: text('body'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.caller, t.key] })],
);

export const requestEvents = pgTable('request_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  requestId: integer('request_id').notNull().references(() => requests.id, { onDelete: 'cascade' }),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  actor: text('actor').notNull(),
  step: text('step').notNull(),
  fromStatus: text('from_status'),
  toStatus: text('to_status').notNull(),
  note: text('note'),
  detail: jsonb('detail').notNull().default({}),
});

// --- life-circle standard (migration 0006, issue #6) ---

export const lifeCircleStandardLevels = pgTable('life_circle_levels', {
  level: integer('level').primaryKey(),
  name: text('name').notNull(),
  nameEn: text('name_en').notNull(),
  minutes: doublePrecision('minutes').notNull(),
  distanceM: doublePrecision('distance_m').notNull(),
  distanceMinM: doublePrecision('distance_min_m'),
  categories: text('categories').array().notNull().default([]),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: text('updated_by'),
});

export const lifeCircleSettings = pgTable('life_circle_settings', {
  id: integer('id').primaryKey().default(1),
  speedMPerMin: doublePrecision('speed_m_per_min').notNull(),
  source: text('source').notNull().default(''),
});

/** A street's own standard (migration 0019, issue #15); streets without a row use the deployment's. */
export const lifeCircleStreetStandards = pgTable('life_circle_street_standards', {
  streetId: integer('street_id').primaryKey().references(() => streets.id, { onDelete: 'cascade' }),
  standard: jsonb('standard').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: text('updated_by'),
});

// --- imports (migration 0008) ---

export const importMappings = pgTable(
  'import_mappings',
  {
    layer: text('layer').notNull(),
    headers: text('headers').notNull(),
    mapping: jsonb('mapping').notNull(),
    updatedBy: text('updated_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.layer, t.headers] })],
);

export const buildingUnitRosters = pgTable(
  'building_unit_rosters',
  {
    buildingId: integer('building_id').notNull().references(() => buildings.id, { onDelete: 'cascade' }),
    unit: integer('unit').notNull(),
    households: integer('households').notNull(),
    residents: integer('residents').notNull(),
    partyMembers: integer('party_members').notNull().default(0),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.buildingId, t.unit] })],
);

// --- derived figures (migration 0009) ---

/** Expensive aggregates kept across restarts with the signature of their data (repos/derived-figures.repo.ts). */
export const derivedFigures = pgTable('derived_figures', {
  key: text('key').primaryKey(),
  signature: text('signature').notNull(),
  value: jsonb('value').notNull(),
  computedMs: integer('computed_ms').notNull(),
  computedAt: timestamp('computed_at', { withTimezone: true }).notNull().defaultNow(),
});

// --- data changes (migration 0011) ---

/** One row per transaction that changed the street's data, written by triggers: the data version. */
export const dataChanges = pgTable('data_changes', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  txid: bigint('txid', { mode: 'number' }).notNull().unique(),
  changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
});

// --- data version (migration 0017) ---

/** One row: bumped at the commit of every transaction that changed data (repos/data-version.repo.ts). */
export const dataVersion = pgTable('data_version', {
  onlyRow: boolean('only_row').primaryKey().default(true),
  version: bigint('version', { mode: 'number' }).notNull(),
});

// --- tile store (migration 0012) ---

/** Low-zoom vector tiles kept with the data version they were built from (repos/tile-store.repo.ts). */
export const tileStore = pgTable(
  'tile_store',
  {
    layer: text('layer').notNull(),
    z: smallint('z').notNull(),
    x: integer('x').notNull(),
    y: integer('y').notNull(),
    version: text('version').notNull(),
    tile: bytea('tile').notNull(),
    storedAt: timestamp('stored_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.layer, t.z, t.x, t.y] })],
);

// --- background jobs on the shared queue (migration 0024, issue #19) ---

/** What the API shows of a queued job (services/jobs/pg-job-queue.ts); the queue itself is pg-boss's. */
export const backgroundJobs = pgTable('background_jobs', {
  id: uuid('id').primaryKey(),
  kind: text('kind').notNull(),
  ownerId: integer('owner_id').references(() => users.id, { onDelete: 'set null' }),
  status: text('status', { enum: ['running', 'writing', 'done', 'failed', 'cancelled'] }).notNull().default('running'),
  progress: real('progress').notNull().default(0),
  stage: text('stage').notNull().default('queued'),
  params: jsonb('params').notNull(),
  result: jsonb('result'),
  error: jsonb('error'),
  attempt: integer('attempt').notNull().default(0),
  worker: text('worker'),
  heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

// --- party reach and load settings (migration 0025, issue #20) ---

/** A street's 党员中心户 distance and households per centre, and its load weights (null = defaults). */
export const streetPartySettings = pgTable('street_party_settings', {
  streetId: integer('street_id').primaryKey().references(() => streets.id, { onDelete: 'cascade' }),
  distanceM: doublePrecision('distance_m').notNull(),
  householdsMin: integer('households_min').notNull(),
  householdsMax: integer('households_max').notNull(),
  loadWeights: jsonb('load_weights'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: text('updated_by'),
});
