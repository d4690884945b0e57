//! The Windows print system: the printers Windows knows (local and network connections) and the
//! default, each printer's status, and a job drawn page by page onto the printer's device context
//! through GDI — as every Windows program prints, whatever language the printer speaks. The
//! decisions (page order, copies, placement, the bitmap, what a status means) are in
//! [`super::spooler`]; this file only hands them to Windows.

use std::ffi::c_void;
use std::ptr::{null, null_mut};

use windows_sys::Win32::Graphics::Gdi::{
    BI_RLE8, BITMAPINFO, BITMAPINFOHEADER, CreateDCW, DEVMODEW, DIB_RGB_COLORS, DM_COLLATE, DM_COPIES, DM_DUPLEX,
    DM_IN_BUFFER, DM_ORIENTATION, DM_OUT_BUFFER, DM_PAPERSIZE, DMCOLLATE_TRUE, DMDUP_SIMPLEX, DMDUP_VERTICAL,
    DMORIENT_LANDSCAPE, DMORIENT_PORTRAIT, DMPAPER_A4, DeleteDC, GetDeviceCaps, HDC, LOGPIXELSX, LOGPIXELSY,
    PHYSICALOFFSETX, PHYSICALOFFSETY, RGBQUAD, SRCCOPY, StretchDIBits,
};
use windows_sys::Win32::Graphics::Printing::{
    ClosePrinter, DocumentPropertiesW, EnumPrintersW, GetDefaultPrinterW, OpenPrinterW, PRINTER_ENUM_CONNECTIONS,
    PRINTER_ENUM_LOCAL, PRINTER_HANDLE, PRINTER_INFO_2W,
};
use windows_sys::Win32::Storage::Xps::{
    AbortDoc, DC_COPIES, DC_DUPLEX, DOCINFOW, DeviceCapabilitiesW, EndDoc, EndPage, StartDocW, StartPage,
};

use super::spooler::{self, DeviceCaps, PageBitmap};
use super::{PrintError, PrintRequest, Printer, SentJob, Sides};

/// A string for Windows: UTF-16, NUL-terminated.
fn wide(s: &str) -> Vec<u16> {
    s.encode_utf16().chain(std::iter::once(0)).collect()
}

/// A NUL-terminated string from Windows.
///
/// # Safety
/// `p` is null or points at a NUL-terminated UTF-16 string.
unsafe fn from_wide(p: *const u16) -> String {
    if p.is_null() {
        return String::new();
    }
    let mut len = 0;
    // SAFETY: the caller promises a terminated string.
    while unsafe { *p.add(len) } != 0 {
        len += 1;
    }
    // SAFETY: `len` code units were just read.
    String::from_utf16_lossy(unsafe { std::slice::from_raw_parts(p, len) })
}

/// What Windows said when `what` failed, for the user.
fn failed(what: &str) -> PrintError {
    let e = std::io::Error::last_os_error();
    log::warn!("Windows print system: {what}: {e}");
    PrintError::Refused(format!("Windows 打印系统在“{what}”时出错：{e}"))
}

/// The default printer's name, if one is set.
fn default_name() -> Option<String> {
    let mut len = 0u32;
    // SAFETY: asks for the length only.
    unsafe { GetDefaultPrinterW(null_mut(), &mut len) };
    if len == 0 {
        return None;
    }
    let mut buf = vec![0u16; len as usize];
    // SAFETY: `buf` holds `len` units.
    (unsafe { GetDefaultPrinterW(buf.as_mut_ptr(), &mut len) } != 0).then(|| unsafe { from_wide(buf.as_ptr()) })
}

/// The printers Windows offers, the default first, then by name.
pub fn printers() -> Result<Vec<Printer>, PrintError> {
    let flags = PRINTER_ENUM_LOCAL | PRINTER_ENUM_CONNECTIONS;
    let (mut needed, mut count) = (0u32, 0u32);
    // SAFETY: a size query: no buffer.
    unsafe { EnumPrintersW(flags, null(), 2, null_mut(), 0, &mut needed, &mut count) };
    if needed == 0 {
        return Ok(Vec::new());
    }
    // PRINTER_INFO_2W holds pointers: the buffer is allocated with their alignment.
    let words = (needed as usize).div_ceil(std::mem::size_of::<u64>());
    let mut buf = vec![0u64; words];
    // SAFETY: `buf` is `needed` bytes or more, aligned for the structures Windows writes into it.
    if unsafe { EnumPrintersW(flags, null(), 2, buf.as_mut_ptr().cast(), needed, &mut needed, &mut count) } == 0 {
        return Err(failed("列出打印机"));
    }
    let default = default_name();
    // SAFETY: Windows wrote `count` PRINTER_INFO_2W at the start of the buffer, their strings after.
    let infos = unsafe { std::slice::from_raw_parts(buf.as_ptr().cast::<PRINTER_INFO_2W>(), count as usize) };
    let mut out: Vec<Printer> = infos
        .iter()
        .map(|info| {
            // SAFETY: the strings live in `buf`.
            let (name, port, location) =
                unsafe { (from_wide(info.pPrinterName), from_wide(info.pPortName), from_wide(info.pLocation)) };
            let (state, accepting, reasons) = spooler::state_of(info.Status, info.Attributes);
            let (wname, wport) = (wide(&name), wide(&port));
            // SAFETY: both strings are terminated; no output buffer.
            let duplex =
                unsafe { DeviceCapabilitiesW(wname.as_ptr(), wport.as_ptr(), DC_DUPLEX, null_mut(), null()) } == 1;
            Printer {
                is_default: default.as_deref() == Some(name.as_str()),
                description: name.clone(),
                location,
                name,
                state,
                accepting,
                reasons,
                duplex,
            }
        })
        .collect();
    out.sort_by(|a, b| b.is_default.cmp(&a.is_default).then_with(|| a.name.cmp(&b.name)));
    Ok(out)
}

/// One printer as it is now.
pub fn printer(name: &str) -> Result<Printer, PrintError> {
    printers()?.into_iter().find(|p| p.name == name).ok_or_else(|| PrintError::UnknownPrinter(name.to_string()))
}

/// An open printer, closed on drop.
struct Handle(PRINTER_HANDLE);

impl Drop for Handle {
    fn drop(&mut self) {
        // SAFETY: opened by OpenPrinterW, closed once.
        unsafe { ClosePrinter(self.0) };
    }
}

/// A printer's device context, deleted on drop (a job still open is aborted first).
struct Dc {
    hdc: HDC,
    in_job: bool,
}

impl Drop for Dc {
    fn drop(&mut self) {
        // SAFETY: made by CreateDCW, deleted once; AbortDoc only inside a job.
        unsafe {
            if self.in_job {
                AbortDoc(self.hdc);
            }
            DeleteDC(self.hdc);
        }
    }
}

/// The printer's settings for this job: A4 in the pages' orientation, the copies collated (when
/// the driver makes them), one side or both (turned on the long edge). Returned as the DEVMODE
/// bytes, 8-aligned.
fn job_settings(
    printer: &Handle,
    name: &[u16],
    copies: u32,
    sides: Sides,
    landscape: bool,
) -> Result<Vec<u64>, PrintError> {
    // SAFETY: a size query.
    let size = unsafe { DocumentPropertiesW(null_mut(), printer.0, name.as_ptr(), null_mut(), null(), 0) };
    if size <= 0 {
        return Err(failed("读取打印机设置"));
    }
    let mut buf = vec![0u64; (size as usize).div_ceil(8)];
    let dm = buf.as_mut_ptr().cast::<DEVMODEW>();
    // SAFETY: `buf` has the size the driver asked for.
    if unsafe { DocumentPropertiesW(null_mut(), printer.0, name.as_ptr(), dm, null(), DM_OUT_BUFFER) } < 0 {
        return Err(failed("读取打印机设置"));
    }
    // SAFETY: `dm` is the driver's DEVMODE just written; the union's printer view is the one set.
    unsafe {
        let d = &mut *dm;
        d.dmFields |= DM_ORIENTATION | DM_PAPERSIZE | DM_COPIES | DM_COLLATE | DM_DUPLEX;
        d.Anonymous1.Anonymous1.dmOrientation =
            if landscape { DMORIENT_LANDSCAPE as i16 } else { DMORIENT_PORTRAIT as i16 };
        d.Anonymous1.Anonymous1.dmPaperSize = DMPAPER_A4 as i16;
        d.Anonymous1.Anonymous1.dmCopies = copies.min(i16::MAX as u32) as i16;
        d.dmCollate = DMCOLLATE_TRUE;
        // Turned on the long edge: DMDUP_VERTICAL is the print schema's TwoSidedLongEdge.
        d.dmDuplex = if sides == Sides::TwoSided { DMDUP_VERTICAL } else { DMDUP_SIMPLEX };
    }
    // The driver merges what it supports and drops the rest.
    // SAFETY: in and out are the same valid DEVMODE, as the API allows.
    if unsafe { DocumentPropertiesW(null_mut(), printer.0, name.as_ptr(), dm, dm, DM_IN_BUFFER | DM_OUT_BUFFER) } < 0 {
        return Err(failed("设置打印份数和纸张"));
    }
    Ok(buf)
}

/// Draws `job`'s pages onto the printer. The printer was checked by the caller just before.
pub fn print(job: &PrintRequest<'_>) -> Result<SentJob, PrintError> {
    let Some(pages) = job.drawn else {
        return Err(PrintError::Refused("没有可绘制的页面".into()));
    };
    let printer = printer(job.printer)?;
    if let Some(problem) = printer.problem() {
        return Err(problem);
    }
    let name = wide(job.printer);
    let mut handle = PRINTER_HANDLE { Value: null_mut() };
    // SAFETY: `name` is terminated; default access.
    if unsafe { OpenPrinterW(name.as_ptr(), &mut handle, null()) } == 0 {
        return Err(PrintError::UnknownPrinter(job.printer.to_string()));
    }
    let handle = Handle(handle);
    // SAFETY: a capability query: no output buffer.
    let driver_copies =
        unsafe { DeviceCapabilitiesW(name.as_ptr(), null(), DC_COPIES, null_mut(), null()) }.max(0) as u32;
    let sides = if job.sides == Sides::TwoSided && printer.duplex { Sides::TwoSided } else { Sides::OneSided };
    let plan = spooler::plan(pages.len() as u32, &job.pages, job.copies, driver_copies, sides == Sides::TwoSided);
    let landscape = pages.width > pages.height;
    let settings = job_settings(&handle, &name, plan.device_copies, sides, landscape)?;
    // SAFETY: the printer's name and its DEVMODE.
    let hdc = unsafe { CreateDCW(wide("WINSPOOL").as_ptr(), name.as_ptr(), null(), settings.as_ptr().cast()) };
    if hdc.is_null() {
        return Err(failed("打开打印机"));
    }
    let mut dc = Dc { hdc, in_job: false };
    // SAFETY: GetDeviceCaps on a live DC.
    let caps = unsafe {
        DeviceCaps {
            dpi_x: GetDeviceCaps(hdc, LOGPIXELSX as i32),
            dpi_y: GetDeviceCaps(hdc, LOGPIXELSY as i32),
            offset_x: GetDeviceCaps(hdc, PHYSICALOFFSETX as i32),
            offset_y: GetDeviceCaps(hdc, PHYSICALOFFSETY as i32),
        }
    };
    let (x, y, w, h) = spooler::placement(caps, pages.width, pages.height);
    let dpi = spooler::draw_dpi(caps.dpi_x.min(caps.dpi_y)) as f32;
    let title = wide(job.title);
    let info = DOCINFOW {
        cbSize: std::mem::size_of::<DOCINFOW>() as i32,
        lpszDocName: title.as_ptr(),
        lpszOutput: null(),
        lpszDatatype: null(),
        fwType: 0,
    };
    // SAFETY: `info` and its title outlive the call.
    let job_id = unsafe { StartDocW(hdc, &info) };
    if job_id <= 0 {
        return Err(failed("开始打印任务"));
    }
    dc.in_job = true;
    for side in &plan.sides {
        // SAFETY: inside the job.
        if unsafe { StartPage(hdc) } <= 0 {
            return Err(failed("开始新的一页"));
        }
        if let Some(index) = *side {
            let image = crate::docs::raster::page_image(pages, index, dpi)
                .map_err(|e| PrintError::Refused(format!("第 {} 页无法绘制：{e}", index + 1)))?;
            draw(hdc, &PageBitmap::from_image(&image), (x, y, w, h))?;
        }
        // SAFETY: inside the page.
        if unsafe { EndPage(hdc) } <= 0 {
            return Err(failed("送出一页"));
        }
    }
    // SAFETY: inside the job.
    if unsafe { EndDoc(hdc) } <= 0 {
        return Err(failed("结束打印任务"));
    }
    dc.in_job = false;
    Ok(SentJob { printer: job.printer.to_string(), job_id })
}

/// `StretchDIBits` of one page's bitmap into `(x, y, w, h)`.
fn draw(hdc: HDC, bitmap: &PageBitmap, (x, y, w, h): (i32, i32, i32, i32)) -> Result<(), PrintError> {
    #[repr(C)]
    struct Info {
        header: BITMAPINFOHEADER,
        colors: [RGBQUAD; 256],
    }
    let mut colors = [RGBQUAD { rgbBlue: 0, rgbGreen: 0, rgbRed: 0, rgbReserved: 0 }; 256];
    for (c, [b, g, r, _]) in colors.iter_mut().zip(bitmap.palette) {
        *c = RGBQUAD { rgbBlue: b, rgbGreen: g, rgbRed: r, rgbReserved: 0 };
    }
    let info = Info {
        header: BITMAPINFOHEADER {
            biSize: std::mem::size_of::<BITMAPINFOHEADER>() as u32,
            biWidth: bitmap.width as i32,
            biHeight: bitmap.height as i32,
            biPlanes: 1,
            biBitCount: 8,
            biCompression: BI_RLE8,
            biSizeImage: bitmap.bits.len() as u32,
            biXPelsPerMeter: 0,
            biYPelsPerMeter: 0,
            biClrUsed: 256,
            biClrImportant: 0,
        },
        colors,
    };
    // SAFETY: the header describes `bits`; `Info` starts as BITMAPINFO does, with 256 colours.
    let drawn = unsafe {
        StretchDIBits(
            hdc,
            x,
            y,
            w,
            h,
            0,
            0,
            bitmap.width as i32,
            bitmap.height as i32,
            bitmap.bits.as_ptr().cast::<c_void>(),
            (&info as *const Info).cast::<BITMAPINFO>(),
            DIB_RGB_COLORS,
            SRCCOPY,
        )
    };
    if drawn <= 0 {
        return Err(failed("绘制页面"));
    }
    Ok(())
}
