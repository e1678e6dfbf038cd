#!/usr/bin/env escript
%% An Erlang port in {line, 4096} mode over `cat <file>`. Prints lines/s.
-mode(compile).

main([File]) ->
    Start = erlang:monotonic_time(microsecond),
    Port = open_port({spawn_executable, "/bin/cat"},
                     [{args, [File]}, {line, 4096}, binary, exit_status, use_stdio]),
    Lines = loop(Port, 0),
    Seconds = (erlang:monotonic_time(microsecond) - Start) / 1.0e6,
    io:format("~.1f~n", [Lines / Seconds]).

loop(Port, Lines) ->
    receive
        {Port, {data, {eol, _}}} -> loop(Port, Lines + 1);
        {Port, {data, {noeol, _}}} -> loop(Port, Lines);
        {Port, {exit_status, 0}} -> Lines;
        {Port, {exit_status, Code}} -> halt(Code)
    end.
