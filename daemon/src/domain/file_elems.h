// Image, sound, file and video elements (tim.v1.FileElem): checking an
// app's local file before a message is accepted, and the conversions
// between elements and the files a stanza points to (mapping §3.4, §5).
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "domain/message_payload.h"
#include "tim/v1/common.pb.h"
#include "xmpp/file_sharing.h"

namespace timd::domain {

bool IsFileType(tim::v1::ElemType type);
bool HasFileElems(const Elems& elems);
// A file (a video's snapshot too) still to be uploaded: no URL yet.
bool NeedsUpload(const tim::v1::FileElem& file);
// A file element with a file still to be uploaded: its own or its
// snapshot's.
bool NeedsUpload(const tim::v1::Elem& elem);
bool NeedsUpload(const tim::v1::Message& content);

// Checks every file element still to be uploaded, before anything is
// stored: the local file must exist (NOT_FOUND, 7004), be a readable
// regular file (PERMISSION_DENIED, 6022) and not be empty
// (INVALID_ARGUMENT, 7006). Fills file_size from the file itself, and
// file_name (its last path component) and media_type (from its extension)
// when the app left them empty. A video's snapshot is checked the same
// way, named "element N's snapshot".
Status AdmitLocalFiles(tim::v1::Message& content);

// The uploaded files of `content`, in element order, for the stanza. A
// video's uploaded snapshot goes as the video's XEP-0264 thumbnail.
std::vector<xmpp::SharedFile> SharedFilesOf(const tim::v1::Message& content);

// A received file as an element: image, sound or video by media type, else
// file; id = 40 hex digits of SHA-1(url) (mapping §5). A video's thumbnail
// becomes its snapshot (url, id, media type, dimensions); a thumbnail of
// any other file is dropped: TIM's image, sound and file elements have no
// place for one that timd models.
tim::v1::Elem ElemFromSharedFile(const xmpp::SharedFile& file);

// A message from a client that sent files without timd's payload (OOB or
// XEP-0447 only): the body as a text element unless it only repeats the
// files' URLs, then one element per file.
tim::v1::Message ContentOfSharedFiles(const std::string& body, const std::vector<xmpp::SharedFile>& files);

std::string FileIdOfUrl(const std::string& url);
std::string HexOf(const unsigned char* bytes, size_t size);

}  // namespace timd::domain
