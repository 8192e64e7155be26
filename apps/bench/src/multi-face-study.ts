/**
 * `npm run bench:accuracy -- --multi-face-study [--data <dir>,<dir>] [--groups <dir>]`: how the dominant-face
 * rule treats photos with bystanders. For every labelled photo with several faces, the face that is the
 * labelled person is the one closest to the template of that person's single-face photos (when it is clearly
 * so: similarity >= 0.3 and 0.15 above every other face). The rule (packages/face rankFaces) enrolls the most
 * prominent face when it dominates; this counts how often it does, and how often that is the wrong person.
 * Unlabelled group photos show how often a group is (wrongly or not) taken as one person's photo.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { cosineSimilarity, l2Normalize, type ImageAnalysis } from '@facerec/face';
import { setupPipeline } from './bench-setup.ts';
import { listIdentityImages, listImagesRecursive } from './image-files.ts';

export async function runMultiFaceStudy(flags: Map<string, string | true>): Promise<void> {
  const roots = String(flags.get('data') ?? '../shared/faces/cfp,../shared/faces/facescrub,../shared/faces/krasserm_lfw10,../shared/faces/deepface_tests,../shared/faces/ageitgey_fr,../shared/faces/openface_examples')
    .split(',').map((s) => s.trim()).filter(Boolean);
  const groups = String(flags.get('groups') ?? '../shared/faces/faceapijs_bbt_group');
  const { pipeline } = await setupPipeline();
  let photos = 0;
  let multi = 0;
  let labelled = 0;
  let dominant = 0;
  let wrong = 0;
  const refusedRows: string[] = [];
  for (const root of roots) {
    const byIdentity = new Map<string, { path: string; a: ImageAnalysis }[]>();
    for (const img of await listIdentityImages(root)) {
      const a = await pipeline.analyze(await readFile(img.path), { faces: 'all' }).catch(() => null);
      if (!a || a.faces.length === 0) continue;
      photos++;
      (byIdentity.get(img.identity) ?? byIdentity.set(img.identity, []).get(img.identity)!).push({ path: img.path, a });
    }
    for (const list of byIdentity.values()) {
      const singles = list.filter((x) => x.a.faceCount === 1).map((x) => x.a.faces[0]!.embedding);
      if (singles.length === 0) continue;
      const template = l2Normalize(Float32Array.from(singles[0]!, (_, k) => singles.reduce((s, v) => s + v[k]!, 0)));
      for (const { path, a } of list) {
        if (a.faceCount < 2) continue;
        multi++;
        const sims = a.faces.map((f) => cosineSimilarity(f.embedding, template));
        const best = sims.indexOf(Math.max(...sims));
        const clear = sims[best]! >= 0.3 && sims.every((s, i) => i === best || sims[best]! - s >= 0.15);
        if (clear) labelled++;
        if (a.dominant) {
          dominant++;
          if (clear && best !== 0) wrong++;
        } else refusedRows.push(`    ${path.slice(path.lastIndexOf(basename(root)))}: ${a.faceCount} faces, no dominant one${clear ? ` (the person is face ${best})` : ''}`);
      }
    }
  }
  console.log(`labelled photos with a face: ${photos}; with several faces: ${multi} (${labelled} where the labelled person's face is clear)`);
  console.log(`  dominant (enrolled without a choice): ${dominant}; wrong person among the clear ones: ${wrong}; refused as multiple_faces: ${multi - dominant}`);
  for (const r of refusedRows) console.log(r);
  let groupPhotos = 0;
  let groupDominant = 0;
  for (const path of await listImagesRecursive(groups)) {
    const a = await pipeline.analyze(await readFile(path), { faces: 'primary' }).catch(() => null);
    if (!a || a.faceCount < 2) continue;
    groupPhotos++;
    if (a.dominant) groupDominant++;
    console.log(`  group ${basename(path)}: ${a.faceCount} faces, ${a.dominant ? 'dominant: the centre person would be enrolled' : 'no dominant face: 422 multiple_faces'}`);
  }
  console.log(`group photos taken as one person's photo: ${groupDominant} of ${groupPhotos}`);
  await pipeline.close();
}
