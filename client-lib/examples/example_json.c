#include "example_json.h"

#include <stdio.h>
#include <string.h>

static const char* blank(const char* p) {
  while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t') ++p;
  return p;
}

static const char* skip_string(const char* p) { /* p at the opening quote */
  for (++p; *p && *p != '"'; ++p) {
    if (*p == '\\' && p[1]) ++p;
  }
  return *p ? p + 1 : p;
}

const char* ej_skip(const char* p) {
  p = blank(p);
  if (*p == '"') return skip_string(p);
  if (*p == '{' || *p == '[') {
    int depth = 0;
    while (*p) {
      if (*p == '"') {
        p = skip_string(p);
        continue;
      }
      if (*p == '{' || *p == '[') ++depth;
      if (*p == '}' || *p == ']') {
        if (--depth == 0) return p + 1;
      }
      ++p;
    }
    return p;
  }
  while (*p && *p != ',' && *p != '}' && *p != ']') ++p;
  return p;
}

const char* ej_member(const char* object, const char* key) {
  const char* p = blank(object);
  size_t key_len = strlen(key);
  if (*p != '{') return NULL;
  p = blank(p + 1);
  while (*p == '"') {
    const char* name = p + 1;
    const char* after = skip_string(p);
    int match = (size_t)(after - 1 - name) == key_len && strncmp(name, key, key_len) == 0;
    p = blank(after);
    if (*p != ':') return NULL;
    p = blank(p + 1);
    if (match) return p;
    p = blank(ej_skip(p));
    if (*p != ',') return NULL;
    p = blank(p + 1);
  }
  return NULL;
}

static size_t put_utf8(unsigned cp, char* out) {
  if (cp < 0x80) { out[0] = (char)cp; return 1; }
  if (cp < 0x800) { out[0] = (char)(0xC0 | (cp >> 6)); out[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | (cp >> 12)); out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | (cp >> 18)); out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

int ej_string(const char* value, char* out, size_t size) {
  const char* p = blank(value);
  size_t n = 0;
  if (*p != '"' || size == 0) return -1;
  for (++p; *p && *p != '"' && n + 4 < size; ++p) {
    if (*p != '\\') { out[n++] = *p; continue; }
    ++p;
    switch (*p) {
      case 'n': out[n++] = '\n'; break;
      case 't': out[n++] = '\t'; break;
      case 'r': out[n++] = '\r'; break;
      case 'b': out[n++] = '\b'; break;
      case 'f': out[n++] = '\f'; break;
      case 'u': {
        unsigned cp = 0;
        if (sscanf(p + 1, "%4x", &cp) != 1) return -1;
        p += 4;
        if (cp >= 0xD800 && cp < 0xDC00 && p[1] == '\\' && p[2] == 'u') {
          unsigned low = 0;
          if (sscanf(p + 3, "%4x", &low) == 1) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            p += 6;
          }
        }
        n += put_utf8(cp, out + n);
        break;
      }
      default: out[n++] = *p; break; /* \" \\ \/ */
    }
  }
  out[n] = '\0';
  return 0;
}

int ej_true(const char* value) { return value && strncmp(blank(value), "true", 4) == 0; }

const char* ej_first(const char* array) {
  const char* p = blank(array);
  if (*p != '[') return NULL;
  p = blank(p + 1);
  return *p == ']' || !*p ? NULL : p;
}

const char* ej_next(const char* element) {
  const char* p = blank(ej_skip(element));
  if (*p != ',') return NULL;
  return blank(p + 1);
}

void ej_quote(const char* in, char* out, size_t size) {
  size_t n = 0;
  if (size < 3) return;
  out[n++] = '"';
  for (; *in && n + 8 < size; ++in) {
    unsigned char c = (unsigned char)*in;
    if (c == '"' || c == '\\') { out[n++] = '\\'; out[n++] = (char)c; }
    else if (c == '\n') { out[n++] = '\\'; out[n++] = 'n'; }
    else if (c < 0x20) n += (size_t)sprintf(out + n, "\\u%04x", c);
    else out[n++] = (char)c;
  }
  out[n++] = '"';
  out[n] = '\0';
}
