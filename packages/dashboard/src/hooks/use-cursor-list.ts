import { useInfiniteQuery } from '@tanstack/react-query';
import type { QueryParams } from '../api/api-client';
import { useApi } from '../api/api-context';
import type { Page } from '../api/api-types';

/** Options for {@link useCursorList}. */
export interface CursorListOptions {
  /** Items per page. Default 50. */
  limit?: number;
  /** Refetch the loaded pages this often, in ms. */
  refetchInterval?: number;
  enabled?: boolean;
}

/**
 * A cursor-paginated API list (`{ items, nextCursor }`): the first page now, more on demand with
 * `loadMore`, never the whole store.
 */
export function useCursorList<T>(path: string, params: QueryParams = {}, options: CursorListOptions = {}) {
  const api = useApi();
  const limit = options.limit ?? 50;
  const query = useInfiniteQuery({
    queryKey: [path, params, limit],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<T>>(path, { ...params, limit, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    ...(options.refetchInterval === undefined ? {} : { refetchInterval: options.refetchInterval }),
    ...(options.enabled === undefined ? {} : { enabled: options.enabled }),
  });
  const items = query.data?.pages.flatMap((page) => page.items) ?? [];
  return {
    items,
    query,
    hasMore: query.hasNextPage,
    loadingMore: query.isFetchingNextPage,
    loadMore: () => void query.fetchNextPage(),
  };
}
