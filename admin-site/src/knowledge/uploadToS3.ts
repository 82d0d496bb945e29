/** A file POSTed straight to S3 with the API's presigned form fields, reporting progress as the
 * bytes leave the browser (XMLHttpRequest: fetch has no upload progress). */
export interface PresignedPost {
  url: string;
  fields: Record<string, string>;
}

export class UploadError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'UploadError';
  }
}

export function uploadToS3(
  post: PresignedPost,
  file: Blob,
  onProgress: (fraction: number) => void,
  makeXhr: () => XMLHttpRequest = () => new XMLHttpRequest(),
): Promise<void> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(post.fields)) form.append(name, value);
    form.append('file', file); // S3 requires the file to be the last field
    const xhr = makeXhr();
    xhr.open('POST', post.url);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve();
      } else {
        reject(new UploadError(xhr.status, `storage refused the upload (HTTP ${xhr.status})`));
      }
    };
    xhr.onerror = () => reject(new UploadError(0, 'the upload could not reach the storage'));
    xhr.send(form);
  });
}
