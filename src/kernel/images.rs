//! Uploaded pictures (providers' and sponsors' logos, testimonies' photos):
//! checked by their content, never their name, decoded within bounds, turned
//! upright, shrunk to a box and encoded again, which also drops whatever
//! the file carried besides the picture (camera tags, GPS position).
//! Decoding is CPU-heavy: handlers call [`shrink_off_thread`].

use image::ImageFormat;

/// Why an upload is refused; each feature names it with its own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No file, or an empty one.
    Missing,
    /// Larger than the policy's limit.
    TooLarge,
    /// Not one of the accepted formats, whatever its name says.
    NotImage,
    /// Looks like an accepted format but cannot be decoded.
    Broken,
}

/// What a feature accepts and how it keeps it.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// Largest file accepted, in bytes.
    pub limit: usize,
    /// Formats accepted, recognised by their first bytes.
    pub accept: &'static [ImageFormat],
    /// The stored picture fits in a square of this many pixels.
    pub fit: u32,
    /// How it is stored: PNG or JPEG.
    pub output: ImageFormat,
}

impl Policy {
    /// The stored picture's media type.
    pub fn mime(&self) -> &'static str {
        self.output.to_mime_type()
    }

    /// The limit in whole megabytes, for messages.
    pub fn limit_mb(&self) -> i64 {
        (self.limit / 1_048_576).max(1) as i64
    }
}

/// The format of `bytes` if it is one `policy` accepts.
pub fn sniff(policy: &Policy, bytes: &[u8]) -> Result<ImageFormat, Refusal> {
    let format = image::guess_format(bytes).map_err(|_| Refusal::NotImage)?;
    if policy.accept.contains(&format) {
        Ok(format)
    } else {
        Err(Refusal::NotImage)
    }
}

/// Check an upload against `policy` and return the picture to store.
pub fn shrink(policy: &Policy, bytes: &[u8]) -> Result<Vec<u8>, Refusal> {
    if bytes.is_empty() {
        return Err(Refusal::Missing);
    }
    if bytes.len() > policy.limit {
        return Err(Refusal::TooLarge);
    }
    let format = sniff(policy, bytes)?;
    let mut reader = image::ImageReader::with_format(std::io::Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(6000);
    limits.max_image_height = Some(6000);
    limits.max_alloc = Some(128 * 1024 * 1024);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|_| Refusal::Broken)?;
    // A photo taken sideways is stored sideways with a tag saying how to turn it.
    let orientation = image::ImageDecoder::orientation(&mut decoder)
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = image::DynamicImage::from_decoder(decoder).map_err(|_| Refusal::Broken)?;
    img.apply_orientation(orientation);
    let small = img.thumbnail(policy.fit, policy.fit);
    // JPEG has no transparency: flatten first.
    let small = if policy.output == ImageFormat::Jpeg {
        image::DynamicImage::ImageRgb8(small.to_rgb8())
    } else {
        small
    };
    let mut out = std::io::Cursor::new(Vec::new());
    small
        .write_to(&mut out, policy.output)
        .map_err(|_| Refusal::Broken)?;
    Ok(out.into_inner())
}

/// [`shrink`] on the blocking pool, so decoding a large photo never stalls
/// the async workers serving other requests.
pub async fn shrink_off_thread(policy: Policy, bytes: Vec<u8>) -> Result<Vec<u8>, Refusal> {
    tokio::task::spawn_blocking(move || shrink(&policy, &bytes))
        .await
        .unwrap_or(Err(Refusal::Broken))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PHOTO: Policy = Policy {
        limit: 1024 * 1024,
        accept: &[ImageFormat::Png, ImageFormat::Jpeg, ImageFormat::WebP],
        fit: 16,
        output: ImageFormat::Jpeg,
    };

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbaImage::from_pixel(w, h, image::Rgba([200, 10, 10, 128]));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn content_decides_and_the_result_fits_the_box() {
        assert_eq!(shrink(&PHOTO, b""), Err(Refusal::Missing));
        assert_eq!(shrink(&PHOTO, b"GIF89a......"), Err(Refusal::NotImage));
        assert_eq!(
            shrink(&PHOTO, b"<html>hello</html>"),
            Err(Refusal::NotImage)
        );
        // A PNG signature followed by garbage.
        let mut broken = png(4, 4);
        broken.truncate(20);
        assert_eq!(shrink(&PHOTO, &broken), Err(Refusal::Broken));
        let big = vec![0xFFu8; PHOTO.limit + 1];
        assert_eq!(shrink(&PHOTO, &big), Err(Refusal::TooLarge));
        let out = shrink(&PHOTO, &png(64, 32)).unwrap();
        assert_eq!(image::guess_format(&out).unwrap(), ImageFormat::Jpeg);
        let img = image::load_from_memory(&out).unwrap();
        assert_eq!((img.width(), img.height()), (16, 8));
    }

    #[test]
    fn webp_is_recognised_by_its_riff_header() {
        let mut webp = b"RIFF\x10\0\0\0WEBPVP8 ".to_vec();
        webp.extend_from_slice(&[0; 8]);
        assert_eq!(sniff(&PHOTO, &webp), Ok(ImageFormat::WebP));
        assert_eq!(shrink(&PHOTO, &webp), Err(Refusal::Broken));
    }
}
