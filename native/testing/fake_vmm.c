/* SPDX-License-Identifier: MIT */
/*
 * fake_vmm.c - libcuda TEST DOUBLE (test-only): the virtual memory management calls, with the
 * driver's semantics carried out on host mappings.
 *
 *   cuMemAddressReserve   an aligned PROT_NONE, MAP_NORESERVE range (no memory behind it)
 *   cuMemCreate           physical memory: a range of one memfd, charged to the device
 *   cuMemMap              the handle's pages MAP_SHARED|MAP_FIXED over part of a reservation, still
 *                         PROT_NONE; inside one reservation, overlapping no other mapping
 *   cuMemSetAccess        mprotect: readable, or readable and writable
 *   cuMemUnmap            back to a reserved PROT_NONE range; whole mappings only
 *   cuMemRelease          the handle goes; its memory is freed (uncharged, memfd hole punched)
 *                         once it is both released and unmapped, in either order
 *   cuMemAddressFree      unmaps the reservation; refused while a mapping lies inside it
 *
 * Sizes, addresses and offsets must be multiples of the granularity (2 MiB). One memfd backs every
 * handle (offsets are never reused) so that thousands of 2 MiB chunks cost one descriptor.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fake_internal.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

#define GP_FAKE_RESERVE_FLAGS (MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE)

static struct gp_fake_reservation *reservation_containing(uintptr_t p, size_t size)
{
	struct gp_fake_reservation *r;

	for (r = gp_fake.reservations; r; r = r->next)
		if (p >= r->base && p - r->base < r->size && size <= r->size - (p - r->base))
			return r;
	return NULL;
}

bool gp_fake_vmm_reserved(uintptr_t p)
{
	return reservation_containing(p, 1) != NULL;
}

static struct gp_fake_mapping *mapping_containing(uintptr_t p)
{
	struct gp_fake_mapping *m;

	for (m = gp_fake.mappings; m; m = m->next)
		if (p >= m->va && p - m->va < m->size)
			return m;
	return NULL;
}

static bool mappings_overlap(uintptr_t p, size_t size)
{
	const struct gp_fake_mapping *m;

	for (m = gp_fake.mappings; m; m = m->next)
		if (m->va < p + size && p < m->va + m->size)
			return true;
	return false;
}

bool gp_fake_vmm_covers(uintptr_t p, size_t bytes, int prot)
{
	const struct gp_fake_mapping *m;
	uintptr_t end = p + bytes;

	while (p < end) {
		m = mapping_containing(p);
		if (!m || (m->prot & prot) != prot)
			return false;
		p = m->va + m->size;
	}
	return true;
}

/* True when [p, p + size) is exactly a run of whole, adjacent mappings. */
static bool whole_mappings(uintptr_t p, size_t size)
{
	const struct gp_fake_mapping *m;
	uintptr_t end = p + size;

	if (!size || size > UINTPTR_MAX - p)
		return false;
	while (p < end) {
		m = mapping_containing(p);
		if (!m || m->va != p)
			return false;
		p += m->size;
	}
	return p == end;
}

static struct gp_fake_handle *handle_find(CUmemGenericAllocationHandle id)
{
	struct gp_fake_handle *h;

	for (h = gp_fake.handles; h; h = h->next)
		if (h->id == id && !h->released)
			return h;
	return NULL;
}

/* Frees the physical memory: the handle is released and nothing maps it any more. */
static void handle_free(struct gp_fake_handle *h)
{
	struct gp_fake_handle **link;

	for (link = &gp_fake.handles; *link != h; link = &(*link)->next)
		;
	*link = h->next;
	fallocate(gp_fake.memfd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, h->offset,
		  (off_t)h->size);
	gp_fake_uncharge(h->device, h->size);
	free(h);
}

static CUresult check_prop(const CUmemAllocationProp *prop)
{
	if (!prop || prop->type != CU_MEM_ALLOCATION_TYPE_PINNED ||
	    prop->location.type != CU_MEM_LOCATION_TYPE_DEVICE)
		return CUDA_ERROR_INVALID_VALUE;
	return gp_fake_device_valid(prop->location.id) ? CUDA_SUCCESS : CUDA_ERROR_INVALID_DEVICE;
}

CUresult gp_fake_cuMemGetAllocationGranularity(size_t *granularity, const CUmemAllocationProp *prop,
					       CUmemAllocationGranularity_flags option)
{
	CUresult r = gp_fake_enter();

	if (r != CUDA_SUCCESS)
		return r;
	if (!granularity || (option != CU_MEM_ALLOC_GRANULARITY_MINIMUM &&
			     option != CU_MEM_ALLOC_GRANULARITY_RECOMMENDED))
		r = CUDA_ERROR_INVALID_VALUE;
	else
		r = check_prop(prop);
	if (r == CUDA_SUCCESS)
		*granularity = GP_FAKE_GRANULARITY;
	gp_fake_unlock();
	return r;
}

/* An ALIGN-aligned PROT_NONE range of SIZE bytes, at HINT when that is free; 0 when none. */
static uintptr_t reserve_range(size_t size, size_t align, uintptr_t hint)
{
	uintptr_t start, base;
	void *p;

	if (hint && hint % align == 0) {
		p = mmap((void *)hint, size, PROT_NONE, GP_FAKE_RESERVE_FLAGS | MAP_FIXED_NOREPLACE,
			 -1, 0);
		if (p == (void *)hint)
			return hint;
		if (p != MAP_FAILED)
			munmap(p, size);
	}
	if (size > SIZE_MAX - align)
		return 0;
	p = mmap(NULL, size + align, PROT_NONE, GP_FAKE_RESERVE_FLAGS, -1, 0);
	if (p == MAP_FAILED)
		return 0;
	start = (uintptr_t)p;
	base = (start + align - 1) & ~(uintptr_t)(align - 1);
	if (base > start)
		munmap(p, base - start);
	if (start + align > base)
		munmap((void *)(base + size), start + align - base);
	return base;
}

CUresult gp_fake_cuMemAddressReserve(CUdeviceptr *ptr, size_t size, size_t alignment,
				     CUdeviceptr addr, unsigned long long flags)
{
	size_t align = alignment > GP_FAKE_GRANULARITY ? alignment : GP_FAKE_GRANULARITY;
	struct gp_fake_reservation *res;
	CUresult r = gp_fake_enter();

	if (r != CUDA_SUCCESS)
		return r;
	if (!ptr || !size || size % GP_FAKE_GRANULARITY || flags || (alignment & (alignment - 1))) {
		r = CUDA_ERROR_INVALID_VALUE;
	} else if (!(res = calloc(1, sizeof(*res)))) {
		r = CUDA_ERROR_OUT_OF_MEMORY;
	} else if (!(res->base = reserve_range(size, align, (uintptr_t)addr))) {
		free(res);
		r = CUDA_ERROR_OUT_OF_MEMORY;
	} else {
		res->size = size;
		res->next = gp_fake.reservations;
		gp_fake.reservations = res;
		*ptr = (CUdeviceptr)res->base;
	}
	gp_fake_unlock();
	return r;
}

CUresult gp_fake_cuMemAddressFree(CUdeviceptr ptr, size_t size)
{
	struct gp_fake_reservation **link, *res;
	CUresult r = gp_fake_enter();

	if (r != CUDA_SUCCESS)
		return r;
	for (link = &gp_fake.reservations; (res = *link); link = &res->next)
		if (res->base == (uintptr_t)ptr && res->size == size)
			break;
	if (!res || mappings_overlap(res->base, res->size)) {
		r = CUDA_ERROR_INVALID_VALUE;
	} else {
		*link = res->next;
		munmap((void *)res->base, res->size);
		free(res);
	}
	gp_fake_unlock();
	return r;
}

/* Appends SIZE bytes to the memfd for a new handle; -1 when that fails. */
static off_t memfd_grow(size_t size)
{
	off_t offset = gp_fake.memfd_end;

	if (!gp_fake.memfd_open) {
		gp_fake.memfd = memfd_create("gp-fake-cuda-vmm", MFD_CLOEXEC);
		if (gp_fake.memfd < 0)
			return -1;
		gp_fake.memfd_open = true;
	}
	if (size > (size_t)(INT64_MAX - offset) || ftruncate(gp_fake.memfd, offset + (off_t)size))
		return -1;
	gp_fake.memfd_end = offset + (off_t)size;
	return offset;
}

CUresult gp_fake_cuMemCreate(CUmemGenericAllocationHandle *handle, size_t size,
			     const CUmemAllocationProp *prop, unsigned long long flags)
{
	struct gp_fake_handle *h;
	CUresult r = gp_fake_enter();

	if (r != CUDA_SUCCESS)
		return r;
	if (!handle || !size || size % GP_FAKE_GRANULARITY || flags)
		r = CUDA_ERROR_INVALID_VALUE;
	else
		r = check_prop(prop);
	if (r == CUDA_SUCCESS)
		r = gp_fake_charge(prop->location.id, size);
	if (r != CUDA_SUCCESS) {
		gp_fake_unlock();
		return r;
	}
	h = calloc(1, sizeof(*h));
	if (!h || (h->offset = memfd_grow(size)) < 0) {
		free(h);
		gp_fake_uncharge(prop->location.id, size);
		gp_fake_unlock();
		return CUDA_ERROR_OUT_OF_MEMORY;
	}
	h->id = ++gp_fake.last_handle;
	h->size = size;
	h->device = prop->location.id;
	h->next = gp_fake.handles;
	gp_fake.handles = h;
	*handle = h->id;
	gp_fake_unlock();
	return CUDA_SUCCESS;
}

CUresult gp_fake_cuMemRelease(CUmemGenericAllocationHandle handle)
{
	struct gp_fake_handle *h;
	CUresult r = gp_fake_enter();

	if (r != CUDA_SUCCESS)
		return r;
	h = handle_find(handle);
	if (!h) {
		r = CUDA_ERROR_INVALID_VALUE;
	} else {
		h->released = true;
		if (!h->maps)
			handle_free(h);
	}
	gp_fake_unlock();
	return r;
}

CUresult gp_fake_cuMemMap(CUdeviceptr ptr, size_t size, size_t offset,
			  CUmemGenericAllocationHandle handle, unsigned long long flags)
{
	uintptr_t va = (uintptr_t)ptr;
	struct gp_fake_mapping *m;
	struct gp_fake_handle *h;
	void *p;
	CUresult r = gp_fake_enter();

	if (r != CUDA_SUCCESS)
		return r;
	h = handle_find(handle);
	if (flags || !size || va % GP_FAKE_GRANULARITY || size % GP_FAKE_GRANULARITY ||
	    offset % GP_FAKE_GRANULARITY)
		r = CUDA_ERROR_INVALID_VALUE;
	else if (!h)
		r = CUDA_ERROR_INVALID_HANDLE;
	else if (offset > h->size || size > h->size - offset)
		r = CUDA_ERROR_INVALID_VALUE;
	else if (!reservation_containing(va, size) || mappings_overlap(va, size))
		r = CUDA_ERROR_INVALID_VALUE;
	else if (!(m = calloc(1, sizeof(*m))))
		r = CUDA_ERROR_OUT_OF_MEMORY;
	if (r != CUDA_SUCCESS) {
		gp_fake_unlock();
		return r;
	}
	p = mmap((void *)va, size, PROT_NONE, MAP_SHARED | MAP_FIXED, gp_fake.memfd,
		 h->offset + (off_t)offset);
	if (p == MAP_FAILED) {
		free(m);
		gp_fake_unlock();
		return CUDA_ERROR_OUT_OF_MEMORY;
	}
	*m = (struct gp_fake_mapping){.va = va, .size = size, .handle = h, .prot = PROT_NONE};
	m->next = gp_fake.mappings;
	gp_fake.mappings = m;
	h->maps++;
	gp_fake_unlock();
	return CUDA_SUCCESS;
}

CUresult gp_fake_cuMemUnmap(CUdeviceptr ptr, size_t size)
{
	struct gp_fake_mapping **link, *m;
	uintptr_t va = (uintptr_t)ptr;
	struct gp_fake_handle *h;
	CUresult r = gp_fake_enter();

	if (r != CUDA_SUCCESS)
		return r;
	if (!whole_mappings(va, size)) {
		gp_fake_unlock();
		return CUDA_ERROR_INVALID_VALUE;
	}
	link = &gp_fake.mappings;
	while ((m = *link)) {
		if (m->va < va || m->va - va >= size) {
			link = &m->next;
			continue;
		}
		*link = m->next;
		mmap((void *)m->va, m->size, PROT_NONE, GP_FAKE_RESERVE_FLAGS | MAP_FIXED, -1, 0);
		h = m->handle;
		free(m);
		if (!--h->maps && h->released)
			handle_free(h);
	}
	gp_fake_unlock();
	return CUDA_SUCCESS;
}

static int access_prot(CUmemAccess_flags flags)
{
	switch (flags) {
	case CU_MEM_ACCESS_FLAGS_PROT_NONE:
		return PROT_NONE;
	case CU_MEM_ACCESS_FLAGS_PROT_READ:
		return PROT_READ;
	case CU_MEM_ACCESS_FLAGS_PROT_READWRITE:
		return PROT_READ | PROT_WRITE;
	}
	return -1;
}

CUresult gp_fake_cuMemSetAccess(CUdeviceptr ptr, size_t size, const CUmemAccessDesc *desc,
				size_t count)
{
	uintptr_t va = (uintptr_t)ptr;
	struct gp_fake_mapping *m;
	int prot = PROT_NONE, p;
	CUresult r = gp_fake_enter();

	if (r != CUDA_SUCCESS)
		return r;
	if (!desc || !count || !whole_mappings(va, size))
		r = CUDA_ERROR_INVALID_VALUE;
	for (size_t i = 0; r == CUDA_SUCCESS && i < count; i++) {
		p = access_prot(desc[i].flags);
		if (p < 0 || desc[i].location.type != CU_MEM_LOCATION_TYPE_DEVICE)
			r = CUDA_ERROR_INVALID_VALUE;
		else if (!gp_fake_device_valid(desc[i].location.id))
			r = CUDA_ERROR_INVALID_DEVICE;
		else
			prot |= p;
	}
	if (r == CUDA_SUCCESS && mprotect((void *)va, size, prot))
		r = CUDA_ERROR_OUT_OF_MEMORY;
	for (m = gp_fake.mappings; r == CUDA_SUCCESS && m; m = m->next)
		if (m->va >= va && m->va - va < size)
			m->prot = prot;
	gp_fake_unlock();
	return r;
}

void gp_fake_vmm_free_all(void)
{
	struct gp_fake_reservation *res;
	struct gp_fake_mapping *m;
	struct gp_fake_handle *h;

	while ((m = gp_fake.mappings)) {
		gp_fake.mappings = m->next;
		free(m);
	}
	while ((res = gp_fake.reservations)) {
		gp_fake.reservations = res->next;
		munmap((void *)res->base, res->size);
		free(res);
	}
	while ((h = gp_fake.handles)) {
		gp_fake.handles = h->next;
		free(h);
	}
	if (gp_fake.memfd_open)
		close(gp_fake.memfd);
	gp_fake.memfd_open = false;
	gp_fake.memfd_end = 0;
}
