//! A seller's logo: a PNG or JPEG image, checked from its own bytes rather than trusted from the
//! declared content type, and small enough to print in an invoice's header.

use serde::{Deserialize, Serialize};
use strum::{Display, EnumString, IntoStaticStr};

/// Larger files are refused before they are read (413).
pub const MAX_LOGO_BYTES: usize = 512 * 1024;
/// Larger images are refused (422): a header needs a few hundred pixels at most.
pub const MAX_LOGO_PIXELS: u32 = 2000;

/// The image formats a logo may have, by MIME type.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    Display,
    EnumString,
    IntoStaticStr,
)]
pub enum LogoFormat {
    #[serde(rename = "image/png")]
    #[strum(serialize = "image/png")]
    Png,
    #[serde(rename = "image/jpeg")]
    #[strum(serialize = "image/jpeg")]
    Jpeg,
}

impl LogoFormat {
    /// The MIME type (`image/png`).
    pub fn content_type(self) -> &'static str {
        self.into()
    }

    /// The file name extension (`png`, `jpg`).
    pub fn extension(self) -> &'static str {
        match self {
            LogoFormat::Png => "png",
            LogoFormat::Jpeg => "jpg",
        }
    }
}

/// An uploaded image that is what it claims to be and within the limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LogoImage {
    pub format: LogoFormat,
    pub width: u32,
    pub height: u32,
}

impl LogoImage {
    /// Reads the format and the dimensions from the file's header (no decoding): the bytes
    /// must be a `declared` image, at most [`MAX_LOGO_PIXELS`] wide and high.
    pub fn check(declared: LogoFormat, bytes: &[u8]) -> Result<Self, String> {
        let actual = match imagesize::image_type(bytes) {
            Ok(imagesize::ImageType::Png) => LogoFormat::Png,
            Ok(imagesize::ImageType::Jpeg) => LogoFormat::Jpeg,
            _ => {
                return Err(format!(
                    "is not a {declared} image: its bytes are not a PNG or JPEG file"
                ));
            }
        };
        if actual != declared {
            return Err(format!(
                "is a {actual} image, sent as {declared}: send it with Content-Type: {actual}"
            ));
        }
        let size = imagesize::blob_size(bytes)
            .map_err(|_| format!("is not a readable {declared} image: its header is cut short"))?;
        let (width, height) = (
            u32::try_from(size.width).unwrap_or(u32::MAX),
            u32::try_from(size.height).unwrap_or(u32::MAX),
        );
        if width == 0 || height == 0 {
            return Err("is an image without pixels".to_owned());
        }
        if width > MAX_LOGO_PIXELS || height > MAX_LOGO_PIXELS {
            return Err(format!(
                "is {width}×{height} pixels; at most {MAX_LOGO_PIXELS}×{MAX_LOGO_PIXELS} fit an \
                 invoice's header"
            ));
        }
        Ok(Self {
            format: actual,
            width,
            height,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The signature and IHDR chunk of a PNG of the given size (all `imagesize` reads).
    fn png_header(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
        bytes.extend(width.to_be_bytes());
        bytes.extend(height.to_be_bytes());
        bytes.extend([8, 6, 0, 0, 0, 0, 0, 0, 0]);
        bytes
    }

    #[test]
    fn a_png_is_read_from_its_header() {
        let logo = LogoImage::check(LogoFormat::Png, &png_header(300, 120)).unwrap();
        assert_eq!((logo.width, logo.height), (300, 120));
        assert_eq!(logo.format.content_type(), "image/png");
        assert_eq!(logo.format.extension(), "png");
        assert_eq!(
            "image/jpeg".parse::<LogoFormat>().unwrap(),
            LogoFormat::Jpeg
        );
    }

    #[test]
    fn what_it_is_not_or_too_large_is_refused() {
        let text = LogoImage::check(
            LogoFormat::Png,
            b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        );
        assert!(text.unwrap_err().contains("not a PNG or JPEG"));
        let mislabelled = LogoImage::check(LogoFormat::Jpeg, &png_header(10, 10)).unwrap_err();
        assert!(
            mislabelled.contains("Content-Type: image/png"),
            "{mislabelled}"
        );
        let huge = LogoImage::check(LogoFormat::Png, &png_header(2001, 10)).unwrap_err();
        assert!(huge.contains("2001×10"), "{huge}");
        assert!(LogoImage::check(LogoFormat::Png, &png_header(2000, 2000)).is_ok());
        assert!(LogoImage::check(LogoFormat::Png, &png_header(10, 10)[..12]).is_err());
    }
}
