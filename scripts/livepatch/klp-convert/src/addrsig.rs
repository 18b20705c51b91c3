// SPDX-License-Identifier: GPL-2.0

//! LLVM's address-significance table, `.llvm_addrsig` (`SHT_LLVM_ADDRSIG`), which the ELF builder
//! can neither read nor keep: it only serves linkers folding identical code, and the kernel
//! ignores it, so the converted module goes without it.

use crate::Error;
use object::build::elf::Builder;
use object::elf;

/// The name of the section.
const ADDRSIG: &[u8] = b".llvm_addrsig";
/// Its type.
const SHT_LLVM_ADDRSIG: u32 = 0x6fff_4c03;

/// Turns the `SHT_LLVM_ADDRSIG` section of the 64-bit little-endian ELF file `data` into
/// `SHT_PROGBITS`, so that the builder can read the file; [`drop`] then deletes it.
pub(crate) fn hide(data: &mut [u8]) -> Result<(), Error> {
    let field = |data: &[u8], at: usize, len: usize| -> Result<u64, Error> {
        let bytes = data
            .get(at..at + len)
            .ok_or_else(|| Error("truncated ELF header".into()))?;
        Ok(bytes
            .iter()
            .rev()
            .fold(0, |acc, b| acc << 8 | u64::from(*b)))
    };
    if data.get(4..6) != Some(&[elf::ELFCLASS64, elf::ELFDATA2LSB]) {
        fail!("only 64-bit little-endian modules are supported");
    }
    let shoff = field(data, 0x28, 8)? as usize;
    let shentsize = field(data, 0x3a, 2)? as usize;
    let shnum = field(data, 0x3c, 2)? as usize;
    for i in 0..shnum {
        let sh_type = shoff + i * shentsize + 4;
        if field(data, sh_type, 4)? == u64::from(SHT_LLVM_ADDRSIG) {
            data[sh_type..sh_type + 4].copy_from_slice(&elf::SHT_PROGBITS.to_le_bytes());
        }
    }
    Ok(())
}

/// Deletes the section from the module being rewritten.
pub(crate) fn drop(builder: &mut Builder<'_>) {
    for section in builder.sections.iter_mut() {
        if *section.name == *ADDRSIG {
            section.delete = true;
        }
    }
}
