import { describe, expect, it, vi } from 'vitest';

import {
  attachmentProblem,
  attachmentsLeft,
  attachmentUrl,
  formatBytes,
  isImage,
  kMaxAttachmentBytes,
  uploadAttachment,
} from '../src/attachments.js';

describe('objection attachments', () => {
  it('shows sizes in B, KB and MB', () => {
    expect(formatBytes(812)).toBe('812 B');
    expect(formatBytes(20480)).toBe('20.0 KB');
    expect(formatBytes(3.5 * 1024 * 1024)).toBe('3.5 MB');
    expect(formatBytes(undefined)).toBe('—');
  });

  it('refuses in the browser what the server would refuse for its type or size', () => {
    const mb = 1024 * 1024;
    expect(attachmentProblem({ name: 'a.jpg', type: 'image/jpeg', size: 100 })).toBe('');
    expect(attachmentProblem({ name: 'a.pdf', type: 'application/pdf', size: kMaxAttachmentBytes })).toBe('');
    expect(attachmentProblem({ name: 'scan.PNG', type: '', size: 10 })).toBe('');
    expect(attachmentProblem({ name: 'big.png', type: 'image/png', size: 6 * mb })).toBe(
      '“big.png”有 6.0 MB，超过 5 MB，请压缩或拍摄清晰度低一些的照片',
    );
    expect(attachmentProblem({ name: 'a.heic', type: 'image/heic', size: 10 })).toBe(
      '“a.heic”不是 JPEG、PNG 图片或 PDF 文件',
    );
    expect(attachmentProblem({ name: 'notes', type: '', size: 10 })).toContain('不是 JPEG');
    expect(attachmentProblem({ name: 'empty.png', type: 'image/png', size: 0 })).toBe('“empty.png”是空文件');
  });

  it('counts what is left, builds download addresses and knows images', () => {
    expect(attachmentsLeft(0)).toBe(5);
    expect(attachmentsLeft(3)).toBe(2);
    expect(attachmentsLeft(7)).toBe(0);
    expect(attachmentUrl(12, 3)).toBe('/api/v1/objections/12/attachments/3');
    expect(isImage({ content_type: 'image/png' })).toBe(true);
    expect(isImage({ content_type: 'application/pdf' })).toBe(false);
  });

  it('uploads a file to its objection under its name, quietly', async () => {
    const api = { uploadFile: vi.fn(async () => ({ id: 1 })) };
    const file = { name: '合同.pdf', type: 'application/pdf', size: 9 };
    await uploadAttachment(api, 7, file);
    expect(api.uploadFile).toHaveBeenCalledWith('/objections/7/attachments', { name: '合同.pdf' }, file, { quiet: true });
  });
});
