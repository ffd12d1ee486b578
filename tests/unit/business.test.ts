/**
 * First-run setup, the business profile, staff PINs and settings on a real encrypted file:
 * setup is one transaction (profile, owner, audit rows), PINs are stored only as scrypt hashes,
 * and every change leaves an audit row.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openShopDatabase, type ShopDatabase } from '../../main/db/open';
import { AuditLog } from '../../main/services/audit/audit-log';
import { BusinessService } from '../../main/services/business/business-service';
import { DEFAULT_SETTINGS, SettingsService } from '../../main/services/settings/settings-service';
import { hashPin, verifyPin } from '../../main/services/staff/pin';
import { StaffService } from '../../main/services/staff/staff-service';
import { UUID_PATTERN } from '../../shared/ids';
import { KasuwaError } from '../../shared/errors';
import { migrations, setupInput, tempDir } from './fixtures';

const KEY = randomBytes(32);
const PIN = '482915';
const T0 = 1_790_000_000_000;

let scratch: ReturnType<typeof tempDir>;
let file: string;
let db: ShopDatabase;
let clock: number;
let audit: AuditLog;
let business: BusinessService;
let staff: StaffService;
let settings: SettingsService;

function build(): void {
  const now = () => clock;
  audit = new AuditLog(db.sqlite, now);
  business = new BusinessService(db, audit, now);
  staff = new StaffService(db, audit, now);
  settings = new SettingsService(db, audit, now);
}

beforeEach(() => {
  scratch = tempDir('kasuwa-business-');
  file = path.join(scratch.dir, 'kasuwa.db');
  db = openShopDatabase(file, { key: KEY, create: true, migrations });
  clock = T0;
  build();
});

afterEach(() => {
  db.close();
  scratch.remove();
});

function reopen(): void {
  db.close();
  db = openShopDatabase(file, { key: KEY, create: false, migrations });
  build();
}

function count(table: string): number {
  return (db.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

function expectKasuwaError(error: unknown, code: string): KasuwaError {
  expect(error).toBeInstanceOf(KasuwaError);
  if (!(error instanceof KasuwaError)) throw new Error('not a KasuwaError');
  expect(error.code).toBe(code);
  return error;
}

interface StaffRow {
  id: string;
  name: string;
  role: string;
  pin_hash: string;
  active: number;
  created_at: number;
}

interface AuditRow {
  seq: number;
  actor_staff_id: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  details: string;
}

function auditRows(): AuditRow[] {
  return db.sqlite
    .prepare('SELECT seq, actor_staff_id, action, entity, entity_id, details FROM audit_log ORDER BY seq')
    .all() as AuditRow[];
}

describe('BusinessService.setup', () => {
  it('creates the profile, the owner with a hashed PIN, and the audit rows', () => {
    expect(business.get()).toBeNull();
    expect(business.isSetUp()).toBe(false);
    const profile = business.setup(setupInput({ phone: '0803-123-4567' }, PIN));
    expect(profile).toEqual({
      id: expect.stringMatching(UUID_PATTERN) as string,
      name: 'Mama Nkechi Provisions',
      state: 'Lagos',
      phone: '+2348031234567',
      address: '12 Balogun Street, Lagos Island',
      email: '',
      createdAt: T0,
      updatedAt: T0,
    });
    expect(business.isSetUp()).toBe(true);

    const owners = db.sqlite.prepare('SELECT * FROM staff').all() as StaffRow[];
    expect(owners).toHaveLength(1);
    const owner = owners[0];
    if (owner === undefined) throw new Error('no owner');
    expect(owner).toMatchObject({ name: 'Nkechi Obi', role: 'owner', active: 1, created_at: T0 });
    expect(owner.id).toMatch(UUID_PATTERN);
    expect(owner.pin_hash).not.toBe(PIN);
    expect(owner.pin_hash).not.toContain(PIN);
    expect(owner.pin_hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(verifyPin(PIN, owner.pin_hash)).toBe(true);

    expect(auditRows()).toEqual([
      {
        seq: 1,
        actor_staff_id: owner.id,
        action: 'business.setup',
        entity: 'business',
        entity_id: profile.id,
        details: JSON.stringify({ name: 'Mama Nkechi Provisions', state: 'Lagos' }),
      },
      {
        seq: 2,
        actor_staff_id: owner.id,
        action: 'staff.create',
        entity: 'staff',
        entity_id: owner.id,
        details: JSON.stringify({ role: 'owner', name: 'Nkechi Obi' }),
      },
    ]);
    expect(JSON.stringify(auditRows())).not.toContain(PIN);
    expect(audit.verify()).toEqual({ intact: true, checkedRows: 2, firstBrokenSeq: null });

    reopen();
    expect(business.get()).toEqual(profile);
  });

  it('writes profile, owner and audit rows in one transaction: a failing audit write leaves nothing', () => {
    db.sqlite.exec(`CREATE TRIGGER audit_refuses BEFORE INSERT ON audit_log
      BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    expect(() => business.setup(setupInput())).toThrow(/disk full/);
    expect(count('business_profile')).toBe(0);
    expect(count('staff')).toBe(0);
    expect(count('audit_log')).toBe(0);
    expect(business.isSetUp()).toBe(false);

    db.sqlite.exec('DROP TRIGGER audit_refuses');
    expect(business.setup(setupInput()).name).toBe('Mama Nkechi Provisions');
    expect([count('business_profile'), count('staff'), count('audit_log')]).toEqual([1, 1, 2]);
  });

  it('writes nothing when the owner cannot be stored', () => {
    db.sqlite.exec(`CREATE TRIGGER staff_refuses BEFORE INSERT ON staff
      BEGIN SELECT RAISE(ABORT, 'power cut'); END`);
    expect(() => business.setup(setupInput())).toThrow(/power cut/);
    expect([count('business_profile'), count('staff'), count('audit_log')]).toEqual([0, 0, 0]);
  });

  it('refuses a second setup with already_done and changes nothing', () => {
    const first = business.setup(setupInput({}, PIN));
    clock += 60_000;
    const error = expectKasuwaError(
      thrown(() => business.setup(setupInput({ name: 'Another Shop', phone: '0805 123 4567' }, '1111'))),
      'already_done',
    );
    expect(error.message).toMatch(/already set up/);
    expect(business.get()).toEqual(first);
    expect([count('business_profile'), count('staff'), count('audit_log')]).toEqual([1, 1, 2]);
    expect(() => staff.verifyPin('1111')).toThrow(KasuwaError);
  });

  it.each([
    ['+44 7700 900123', /Only Nigerian numbers/],
    ['01 234 5678', /landline/],
    ['0803 123', /too short/],
    ['0800 123 4567', /not a Nigerian mobile number/],
  ])('refuses the phone %j with invalid_input and writes nothing', (phone, reason) => {
    const error = expectKasuwaError(
      thrown(() => business.setup(setupInput({ phone }))),
      'invalid_input',
    );
    expect(error.message).toMatch(reason);
    expect(error.details).toEqual([{ path: ['business', 'phone'], message: error.message }]);
    expect([count('business_profile'), count('staff'), count('audit_log')]).toEqual([0, 0, 0]);
  });
});

describe('BusinessService.update', () => {
  it('refuses to update a shop that is not set up', () => {
    expectKasuwaError(
      thrown(() => business.update({ ...setupInput().business }, null)),
      'not_found',
    );
    expect(count('audit_log')).toBe(0);
  });

  it('changes the profile and writes an audit row naming the changed fields', () => {
    const before = business.setup(setupInput());
    const ownerId = staff.list()[0]?.id ?? null;
    clock += 86_400_000;
    const after = business.update(
      { ...setupInput().business, name: 'Mama Nkechi Supermarket', phone: '+234 805 123 4567' },
      ownerId,
    );
    expect(after).toEqual({
      ...before,
      name: 'Mama Nkechi Supermarket',
      phone: '+2348051234567',
      updatedAt: T0 + 86_400_000,
    });
    const last = auditRows().at(-1);
    expect(last).toMatchObject({
      seq: 3,
      actor_staff_id: ownerId,
      action: 'business.update',
      entity: 'business',
      entity_id: before.id,
    });
    expect(JSON.parse(last?.details ?? '{}')).toEqual({ changed: ['name', 'phone'] });
    expect(audit.verify()).toMatchObject({ intact: true, checkedRows: 3 });
  });

  it('writes no audit row when nothing changed (the same phone written another way)', () => {
    const before = business.setup(setupInput({ phone: '0803 123 4567' }));
    clock += 1000;
    expect(business.update({ ...setupInput().business, phone: '+234 803 123 4567' }, null)).toEqual(before);
    expect(count('audit_log')).toBe(2);
  });

  it('refuses an invalid phone with invalid_input at the phone field, and changes nothing', () => {
    const before = business.setup(setupInput());
    const error = expectKasuwaError(
      thrown(() => business.update({ ...setupInput().business, phone: '+1 202 555 0123' }, null)),
      'invalid_input',
    );
    expect(error.details).toEqual([{ path: ['phone'], message: error.message }]);
    expect(business.get()).toEqual(before);
    expect(count('audit_log')).toBe(2);
  });
});

describe('StaffService', () => {
  beforeEach(() => {
    business.setup(setupInput({}, PIN));
  });

  it('lists the owner', () => {
    expect(staff.list()).toEqual([
      { id: expect.stringMatching(UUID_PATTERN) as string, name: 'Nkechi Obi', role: 'owner', active: true },
    ]);
  });

  it('finds the staff member whose PIN is right, and refuses a wrong one', () => {
    expect(staff.verifyPin(PIN)).toMatchObject({ name: 'Nkechi Obi', role: 'owner', active: true });
    expect(staff.verifyPin(PIN, ['owner', 'manager'])).toMatchObject({ role: 'owner' });
    for (const wrong of ['482916', '48291', '0000', '']) {
      const error = expectKasuwaError(
        thrown(() => staff.verifyPin(wrong)),
        'unauthorized',
      );
      expect(error.message).toBe('That PIN is not right.');
    }
  });

  it('refuses the right PIN for a role it does not have, and for a staff member who left', () => {
    const error = expectKasuwaError(
      thrown(() => staff.verifyPin(PIN, ['cashier'])),
      'unauthorized',
    );
    expect(error.message).toMatch(/cashier PIN/);
    db.sqlite.prepare('UPDATE staff SET active = 0').run();
    expectKasuwaError(
      thrown(() => staff.verifyPin(PIN)),
      'unauthorized',
    );
  });
});

describe('PIN hashes', () => {
  it('salts every hash and verifies only the right PIN', () => {
    const first = hashPin('1234');
    const second = hashPin('1234');
    expect(first).not.toBe(second);
    expect(verifyPin('1234', first)).toBe(true);
    expect(verifyPin('1234', second)).toBe(true);
    expect(verifyPin('1235', first)).toBe(false);
    expect(verifyPin('12345', first)).toBe(false);
  });

  it.each(['', '1234', 'bcrypt$x$y', 'scrypt$16384$8$1$', 'scrypt$16384$8$1$c2FsdA=='])(
    'answers false for a stored value that is not a scrypt hash: %j',
    (stored) => {
      expect(verifyPin('1234', stored)).toBe(false);
    },
  );

  // Known bug (see the test report): a stored value whose hash part is empty makes scrypt derive
  // zero bytes, and timingSafeEqual of two empty buffers is true, so every PIN matches.
  it('answers false for a stored value with an empty hash part', () => {
    expect(verifyPin('9999', 'scrypt$16384$8$1$c2FsdA==$')).toBe(false);
  });

  // Known bug (see the test report): impossible scrypt parameters throw a RangeError instead of
  // answering false, so one damaged staff row makes every PIN check an `internal` error.
  it('answers false for a stored value with impossible scrypt parameters', () => {
    expect(verifyPin('1234', 'scrypt$1$1$1$c2FsdA==$AAAA')).toBe(false);
  });
});

describe('SettingsService', () => {
  it('starts from the defaults', () => {
    expect(settings.get()).toEqual(DEFAULT_SETTINGS);
    expect(DEFAULT_SETTINGS).toEqual({
      updateFeedUrl: null,
      receiptFooter: 'Thank you for shopping with us!',
    });
  });

  it('keeps an update across a reopen, with an audit row naming the keys', () => {
    const listener = vi.fn();
    const unsubscribe = settings.onChange(listener);
    const next = settings.update(
      { receiptFooter: 'Na gode, come again!', updateFeedUrl: 'https://updates.kasuwa.ng/feed' },
      'owner-id',
    );
    expect(next).toEqual({
      receiptFooter: 'Na gode, come again!',
      updateFeedUrl: 'https://updates.kasuwa.ng/feed',
    });
    expect(listener).toHaveBeenCalledWith(next);
    expect(auditRows()).toEqual([
      {
        seq: 1,
        actor_staff_id: 'owner-id',
        action: 'settings.update',
        entity: 'settings',
        entity_id: null,
        details: JSON.stringify({ keys: ['receiptFooter', 'updateFeedUrl'] }),
      },
    ]);

    unsubscribe();
    expect(settings.update({ updateFeedUrl: null }, null).updateFeedUrl).toBeNull();
    expect(listener).toHaveBeenCalledTimes(1);
    expect(count('settings')).toBe(2);

    reopen();
    expect(settings.get()).toEqual({ receiptFooter: 'Na gode, come again!', updateFeedUrl: null });
  });

  it('writes no audit row for an empty patch', () => {
    expect(settings.update({}, null)).toEqual(DEFAULT_SETTINGS);
    expect(count('audit_log')).toBe(0);
    expect(count('settings')).toBe(0);
  });

  it('falls back to the default for a value of the wrong type, and ignores keys it does not know', () => {
    const insert = db.sqlite.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, 1)');
    insert.run('receiptFooter', JSON.stringify({ lines: ['from', 'a newer Kasuwa'] }));
    insert.run('updateFeedUrl', JSON.stringify('ftp://not-http.example'));
    insert.run('loyaltyTiers', JSON.stringify(['bronze', 'gold']));
    expect(settings.get()).toEqual(DEFAULT_SETTINGS);
  });

  // Known bug (see the test report): the comment in settings-service.ts promises that a damaged
  // value falls back to the default, but JSON.parse throws first, so settings:get fails with
  // `internal` and the Settings screen cannot open. Remove `.fails` once get() catches it.
  it('falls back to the default for a damaged value', () => {
    db.sqlite
      .prepare("INSERT INTO settings (key, value, updated_at) VALUES ('receiptFooter', 'not json', 1)")
      .run();
    expect(settings.get()).toEqual(DEFAULT_SETTINGS);
  });
});
