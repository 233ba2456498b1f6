// Objection attachments (evidence such as a tax receipt's photo or a scanned contract): the
// limits the server enforces, checked in the browser first so the owner reads why at once,
// sizes for people, and the addresses to upload to and download from. Pure functions apart
// from `uploadAttachment`, which goes through the given API client.
import { apiUrl } from './api.js';

export const kMaxAttachmentBytes = 5 * 1024 * 1024;
export const kMaxAttachments = 5;
export const kAttachmentAccept = 'image/jpeg,image/png,application/pdf';

const kTypes = ['image/jpeg', 'image/png', 'application/pdf'];
const kExtensions = /\.(jpe?g|png|pdf)$/i;

// 812 → "812 B", 20480 → "20.0 KB", 3.5 MiB → "3.5 MB".
export function formatBytes(n) {
  const v = Number(n);
  if (!Number.isFinite(v) || v < 0) return '—';
  if (v < 1024) return `${v} B`;
  if (v < 1024 * 1024) return `${(v / 1024).toFixed(1)} KB`;
  return `${(v / 1024 / 1024).toFixed(1)} MB`;
}

// Why `file` ({name, size, type}) cannot be attached, in Chinese; '' when it can. The type
// is judged by the browser's guess or, when it has none, the name's extension; the server
// reads the bytes and has the last word.
export function attachmentProblem(file) {
  if (!file) return '没有选择文件';
  const name = file.name || '';
  const known = file.type ? kTypes.includes(file.type) : kExtensions.test(name);
  if (!known) return `“${name}”不是 JPEG、PNG 图片或 PDF 文件`;
  if (!file.size) return `“${name}”是空文件`;
  if (file.size > kMaxAttachmentBytes) {
    return `“${name}”有 ${formatBytes(file.size)}，超过 5 MB，请压缩或拍摄清晰度低一些的照片`;
  }
  return '';
}

// How many more files an objection holding `count` can take.
export function attachmentsLeft(count) {
  return Math.max(0, kMaxAttachments - (Number(count) || 0));
}

// The download address of attachment `n` of objection `id` (the session cookie goes along, so
// it works as a link and as an <img> source).
export function attachmentUrl(id, n) {
  return apiUrl(`/objections/${id}/attachments/${n}`);
}

export function isImage(a) {
  return a?.content_type === 'image/jpeg' || a?.content_type === 'image/png';
}

// Uploads one file to objection `id`; resolves with the server's record of it. Quiet: the
// caller shows the error beside the file.
export function uploadAttachment(api, id, file) {
  return api.uploadFile(`/objections/${id}/attachments`, { name: file.name }, file, { quiet: true });
}

export const kUploadStates = {
  waiting: '等待上传',
  uploading: '上传中…',
  done: '已上传',
  failed: '上传失败',
};
