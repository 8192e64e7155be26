import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Refusal, reportFormat, writeReport } from './refusal-report.ts';

const dir = mkdtempSync(join(tmpdir(), 'facerec-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rows: Refusal[] = [
  { file: 'zoe/2.jpg', path: '/p/zoe/2.jpg', subject_id: 'zoe', code: 'subject_conflict', message: 'Matches "amy", a different subject', details: { subject_id: 'amy', similarity: 0.61 } },
  { file: 'amy/1.jpg', path: '/p/amy/1.jpg', subject_id: 'amy', code: 'low_quality', message: 'fails the gate: blurry, extreme_pose', details: { reasons: ['blurry', 'extreme_pose'] } },
  { file: 'bob/3.png', path: '/p/bob/3.png', subject_id: 'bob', code: 'no_face', message: 'No face', details: null },
];

describe('refusal report', () => {
  it('picks the format from the extension unless told', () => {
    expect(reportFormat('/x/refused.csv')).toBe('csv');
    expect(reportFormat('/x/refused.CSV')).toBe('csv');
    expect(reportFormat('/x/refused.jsonl')).toBe('jsonl');
    expect(reportFormat('/x/refused.txt')).toBe('jsonl');
    expect(reportFormat('/x/refused.txt', 'csv')).toBe('csv');
  });

  it('writes JSON lines sorted by file, details kept as objects', () => {
    const path = join(dir, 'r.jsonl');
    writeReport(path, 'jsonl', rows);
    const back = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Refusal);
    expect(back.map((r) => r.file)).toEqual(['amy/1.jpg', 'bob/3.png', 'zoe/2.jpg']);
    expect(back[0]!.details).toEqual({ reasons: ['blurry', 'extreme_pose'] });
  });

  it('writes CSV with a header, quoting commas and quotes, details as JSON', () => {
    const path = join(dir, 'r.csv');
    writeReport(path, 'csv', rows);
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('file,subject_id,code,message,details,path');
    expect(lines[1]).toBe('amy/1.jpg,amy,low_quality,"fails the gate: blurry, extreme_pose","{""reasons"":[""blurry"",""extreme_pose""]}",/p/amy/1.jpg');
    expect(lines[2]).toBe('bob/3.png,bob,no_face,No face,,/p/bob/3.png');
    expect(lines[3]).toContain('"Matches ""amy"", a different subject"');
  });
});
