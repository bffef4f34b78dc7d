// The reviewer's page: log in, see my queue, open the next task, look at its image with the mask as a
// coloured overlay (NiiVue, bundled: no CDN), fill the template's form and submit or skip.
import { Niivue, SHOW_RENDER, SLICE_TYPE } from '@niivue/niivue';
import { ApiError, call, putBytes, toLogin } from './api.js';
import { readForm, renderForm, showErrors, validateForm } from './form.js';

const $ = (id) => document.getElementById(id);
const SLICE_TYPES = {
  axial: SLICE_TYPE.AXIAL,
  coronal: SLICE_TYPE.CORONAL,
  sagittal: SLICE_TYPE.SAGITTAL,
  multiplanar: SLICE_TYPE.MULTIPLANAR,
};

/** What the page is showing now; replaced whole when another task opens. */
let current = null;
let niivue = null;
let lockTimer = null;
/** Whether the reviewer is correcting the mask with the brush (the drawing is then sent with the result). */
let correcting = false;

function show(view) {
  for (const id of ['queue-view', 'task-view']) $(id).hidden = id !== view;
}

async function start() {
  $('next-task').addEventListener('click', openNext);
  $('back-to-queue').addEventListener('click', leaveTask);
  $('task-form').addEventListener('submit', onSubmit);
  $('save-draft').addEventListener('click', onSaveDraft);
  $('skip-task').addEventListener('click', onSkip);
  $('slice-prev').addEventListener('click', () => moveSlice(-1));
  $('slice-next').addEventListener('click', () => moveSlice(1));
  $('layout-select').addEventListener('change', (e) => niivue?.setSliceType(SLICE_TYPES[e.target.value]));
  $('overlay-opacity').addEventListener('input', (e) => setOverlayOpacity(Number(e.target.value)));
  $('correct-mask').addEventListener('click', startCorrection);
  for (const pen of document.querySelectorAll('input[name=pen]')) {
    pen.addEventListener('change', (e) => niivue?.setPenValue(Number(e.target.value), false));
  }
  $('undo-stroke').addEventListener('click', () => niivue?.drawUndo());
  document.addEventListener('keydown', (e) => {
    if ($('task-view').hidden || e.target.closest('form')) return;
    if (e.key === 'PageUp') moveSlice(1);
    if (e.key === 'PageDown') moveSlice(-1);
  });
  try {
    await enterQueue();
  } catch (e) {
    if (e.status === 401) toLogin();
    else $('queue-message').textContent = e.message;
  }
}

async function enterQueue() {
  const me = await call('GET', 'api/v1/me');
  $('whoami').textContent = me.name;
  $('whoami').dataset.user = me.name;
  await loadQueue();
  show('queue-view');
}

async function loadQueue() {
  const page = await call('GET', 'api/v1/tasks?user=me&status=queued,in_progress&size=100');
  const body = $('queue-table').querySelector('tbody');
  body.replaceChildren();
  for (const task of page.items) {
    const row = document.createElement('tr');
    row.dataset.task = task.id;
    for (const text of [task.id, task.project, task.template, task.content.subject ?? '', task.content.experiment ?? '',
      task.status, (task.tags ?? []).join(', ')]) {
      const cell = document.createElement('td');
      cell.textContent = text;
      row.append(cell);
    }
    row.addEventListener('click', () => openTask(task.id, true));
    body.append(row);
  }
  $('queue-message').textContent = page.items.length === 0 ? 'Nothing in your queue.' : `${page.total} task(s)`;
}

async function openNext() {
  try {
    const task = await call('POST', 'api/v1/next');
    if (task === null) {
      $('queue-message').textContent = 'No task is waiting for you.';
      return;
    }
    await showTask(task);
  } catch (e) {
    $('queue-message').textContent = e.message;
  }
}

async function openTask(id, takeLock) {
  try {
    const task = takeLock ? await call('POST', `api/v1/tasks/${id}/lock`) : await call('GET', `api/v1/tasks/${id}`);
    await showTask(task);
  } catch (e) {
    $('queue-message').textContent = e.message;
  }
}

async function showTask(task) {
  const template = await call('GET', `api/v1/templates/${encodeURIComponent(task.template)}`);
  current = { task, template };
  show('task-view');
  $('task-title').textContent = `Task ${task.id}: ${task.content.subject ?? ''} ${task.content.experiment ?? ''}`.trim();
  $('task-message').textContent = '';
  $('form-error').textContent = '';
  showLock(task);
  startLockRenewal(task);
  renderForm($('form-fields'), template.form, task.draft ?? {});
  renderPresets(template);
  $('layout-select').value = template.layout;
  stopCorrection();
  $('correct-mask').hidden = !template.images.some((i) => i.role === 'overlay');
  await showImages(task, template);
}

function showLock(task) {
  const lock = task.lock;
  $('lock-info').textContent = lock ? `locked by ${lock.holder} until ${new Date(lock.expiresAt).toLocaleTimeString()}` : '';
}

function startLockRenewal(task) {
  stopLockRenewal();
  if (!task.lock) return;
  // Renew at half the remaining time so a reviewer who keeps the page open keeps the task.
  const remaining = new Date(task.lock.expiresAt).getTime() - Date.now();
  lockTimer = setTimeout(async () => {
    try {
      const renewed = await call('POST', `api/v1/tasks/${task.id}/lock`);
      current.task = { ...current.task, lock: renewed.lock };
      showLock(renewed);
      startLockRenewal(renewed);
    } catch (e) {
      $('task-message').textContent = `Lock lost: ${e.message}`;
    }
  }, Math.max(5000, remaining / 2));
}

function stopLockRenewal() {
  if (lockTimer !== null) clearTimeout(lockTimer);
  lockTimer = null;
}

async function leaveTask() {
  stopLockRenewal();
  if (current?.task.lock) {
    try {
      await call('DELETE', `api/v1/tasks/${current.task.id}/lock`);
    } catch {
      // the lock expires by itself
    }
  }
  current = null;
  await enterQueue();
}

function renderPresets(template) {
  const box = $('presets');
  box.replaceChildren();
  for (const preset of template.presets) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = preset.name;
    button.dataset.preset = preset.name;
    button.addEventListener('click', () => applyPreset(preset));
    box.append(button);
  }
}

function applyPreset(preset) {
  const base = niivue?.volumes[0];
  if (!base) return;
  base.cal_min = preset.level - preset.window / 2;
  base.cal_max = preset.level + preset.window / 2;
  niivue.updateGLVolume();
  $('viewer-canvas').dataset.preset = preset.name;
}

async function showImages(task, template) {
  const canvas = $('viewer-canvas');
  canvas.dataset.loaded = 'false';
  $('viewer-status').textContent = 'loading images…';
  if (niivue === null) {
    // No 3D rendering pane: reviewers judge masks on slices, and ray casting is costly on machines
    // without a GPU (software WebGL).
    niivue = new Niivue({
      backColor: [0, 0, 0, 1], show3Dcrosshair: false, isColorbar: false, dragAndDropEnabled: false,
      multiplanarShowRender: SHOW_RENDER.NEVER,
      // cyan, so the crosshair is never mistaken for a red mask
      crosshairColor: [0.2, 0.8, 1, 1],
      // a brush a few voxels wide for correcting masks
      penSize: 3,
    });
    await niivue.attachToCanvas(canvas);
    niivue.onLocationChange = (location) => showSlice(location);
  }
  const first = template.presets[0];
  const volumes = template.images.map((image) => {
    const link = task.imageLinks[image.key];
    const volume = { url: new URL(link.replace(/^\//, ''), document.baseURI).href, name: decodeURIComponent(link.split('/').pop()) };
    if (image.role === 'overlay') {
      Object.assign(volume, { colormap: image.colormap, opacity: image.opacity, cal_min: 0, cal_max: 1 });
    } else {
      volume.colormap = 'gray';
      if (first) Object.assign(volume, { cal_min: first.level - first.window / 2, cal_max: first.level + first.window / 2 });
    }
    return volume;
  });
  try {
    await niivue.loadVolumes(volumes);
    niivue.setSliceType(SLICE_TYPES[template.layout]);
    if (first) applyPreset(first);
    const overlay = template.images.find((i) => i.role === 'overlay');
    $('overlay-opacity').value = overlay ? overlay.opacity : 0;
    centreOnOverlay();
    niivue.drawScene();
    $('viewer-status').textContent = '';
    canvas.dataset.loaded = 'true';
  } catch (e) {
    $('viewer-status').textContent = `could not load the images: ${e.message ?? e}`;
    canvas.dataset.loaded = 'error';
  }
}

/** Puts the crosshair in the middle of the mask so the reviewer starts on the structure to check. */
function centreOnOverlay() {
  if (niivue.volumes.length < 2) return;
  const mask = niivue.volumes[1];
  const [nx, ny, nz] = mask.hdr.dims.slice(1, 4);
  const data = mask.img;
  let sx = 0, sy = 0, sz = 0, n = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++) {
        if (data[x + nx * (y + ny * z)] > 0) { sx += x; sy += y; sz += z; n++; }
      }
    }
  }
  if (n === 0) return;
  // The centre is in the mask's stored voxel order; NiiVue's crosshair is a fraction of the image reoriented to
  // RAS. Through millimetres (the mask's affine), so that a NIfTI stored in another order (DICOM's LPS, as the
  // study's pipelines write it) is not centred on the mirror image of the mask.
  const [cx, cy, cz] = [sx / n, sy / n, sz / n];
  const a = mask.hdr.affine;
  const mm = [0, 1, 2].map((r) => a[r][0] * cx + a[r][1] * cy + a[r][2] * cz + a[r][3]);
  const frac = niivue.mm2frac(mm);
  if (!frac.every((f) => Number.isFinite(f) && f >= 0 && f <= 1)) return;
  niivue.scene.crosshairPos = frac;
  niivue.createOnLocationChange();
}

function showSlice(location) {
  const vox = location?.vox;
  const base = niivue?.volumes[0];
  if (!vox || !base) return;
  const info = $('slice-info');
  info.textContent = `slice ${vox[2] + 1} / ${base.hdr.dims[3]}`;
  info.dataset.slice = String(vox[2]);
}

function moveSlice(delta) {
  if (!niivue) return;
  const axis = $('layout-select').value;
  if (axis === 'coronal') niivue.moveCrosshairInVox(0, delta, 0);
  else if (axis === 'sagittal') niivue.moveCrosshairInVox(delta, 0, 0);
  else niivue.moveCrosshairInVox(0, 0, delta);
}

/** Turns the mask into an editable drawing: left-drag paints (or erases) voxels in the current plane. */
async function startCorrection() {
  const overlay = current.template.images.find((i) => i.role === 'overlay');
  const link = current.task.imageLinks[overlay.key];
  const ok = await niivue.loadDrawingFromUrl(new URL(link.replace(/^\//, ''), document.baseURI).href, true);
  if (!ok) {
    $('task-message').textContent = 'The mask could not be opened for correction.';
    return;
  }
  niivue.setDrawingEnabled(true);
  niivue.setPenValue(1, false);
  niivue.setDrawOpacity(0.6);
  niivue.setOpacity(1, 0);
  $('overlay-opacity').value = 0;
  correcting = true;
  $('pen-tools').hidden = false;
  $('correct-mask').hidden = true;
  $('viewer-canvas').dataset.drawing = 'true';
}

function stopCorrection() {
  correcting = false;
  $('pen-tools').hidden = true;
  $('viewer-canvas').dataset.drawing = 'false';
  if (niivue) {
    niivue.setDrawingEnabled(false);
    niivue.closeDrawing();
  }
}

/** The corrected mask as a gzipped NIfTI in the image's geometry. */
async function correctedMask() {
  const nifti = await niivue.saveImage({ filename: '', isSaveDrawing: true, volumeByIndex: 0 });
  const gzipped = new Blob([nifti]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(gzipped).arrayBuffer());
}

function setOverlayOpacity(opacity) {
  if (niivue && niivue.volumes.length > 1) niivue.setOpacity(1, opacity);
}

async function onSaveDraft() {
  const value = readForm($('form-fields'), current.template.form);
  try {
    await call('PUT', `api/v1/tasks/${current.task.id}/draft`, { draft: value });
    $('task-message').textContent = 'Draft saved.';
  } catch (e) {
    $('task-message').textContent = e.message;
  }
}

async function onSubmit(event) {
  event.preventDefault();
  const schema = current.template.form;
  const value = readForm($('form-fields'), schema);
  const errors = validateForm(schema, value);
  showErrors($('form-fields'), errors);
  if (Object.keys(errors).length > 0) {
    $('form-error').textContent = 'Please correct the marked fields.';
    return;
  }
  try {
    if (correcting) {
      await putBytes(`api/v1/tasks/${current.task.id}/files/corrected-mask.nii.gz`, await correctedMask());
    }
    await call('POST', `api/v1/tasks/${current.task.id}/result`, { result: value });
    await finished(`Task ${current.task.id} submitted.`);
  } catch (e) {
    reportFailure(e);
  }
}

async function onSkip() {
  const reason = $('skip-reason').value.trim();
  if (reason === '') {
    $('form-error').textContent = 'Give a reason to skip.';
    return;
  }
  try {
    await call('POST', `api/v1/tasks/${current.task.id}/skip`, { reason });
    await finished(`Task ${current.task.id} skipped.`);
  } catch (e) {
    reportFailure(e);
  }
}

function reportFailure(e) {
  if (e instanceof ApiError && e.field) showErrors($('form-fields'), { [e.field.replace(/^result\./, '')]: e.message });
  $('form-error').textContent = e.message;
}

async function finished(message) {
  stopLockRenewal();
  stopCorrection();
  current = null;
  await enterQueue();
  $('queue-message').textContent = message;
}

start();
